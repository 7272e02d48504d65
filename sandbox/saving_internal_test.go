package sandbox

import (
	"reflect"
	"testing"
)

// A failed save rolls back by replacing liveState as a whole (rollback):
// state kept anywhere else in Server would survive a rollback and
// disagree with the file. New state goes into liveState.
func TestEveryStateFieldIsInLiveState(t *testing.T) {
	machinery := map[string]bool{"masterHash": true, "now": true, "saver": true, "mu": true, "liveState": true, "pending": true,
		// Not state: how fast statuses step (a setting of the server) and
		// the presigned links handed out (short-lived, never persisted).
		"stepDelay": true, "downloads": true}
	for field := range reflect.TypeFor[Server]().Fields() {
		if !machinery[field.Name] {
			t.Errorf("Server.%s is outside liveState: a failed save would not roll it back (see saving.go)", field.Name)
		}
	}
}

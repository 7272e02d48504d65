package sandbox

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// Remove deletes the state file at path, for `baseten sandbox reset`: the
// next Open seeds a new sandbox there. It takes the state's lock first, so
// a sandbox that owns the file is an *InUseError and nothing is deleted,
// and it deletes only a file that reads as a sandbox state (a *StateError
// otherwise: a mistyped --state never costs another file). A link is
// followed, as Open follows it: its target goes, the link stays. removed
// is false when there was no state file.
func Remove(path string) (removed bool, err error) {
	if path, err = resolveLink(path); err != nil {
		return false, err
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	lock, err := lockState(path)
	if err != nil {
		return false, err
	}
	// The lock file stays: one removed while another process waits to
	// open it could give two owners the state's next file.
	defer lock.Unlock()
	st, _, err := readState(path)
	if err != nil {
		return false, err
	}
	if st == nil { // deleted meanwhile
		return false, nil
	}
	if st.Version != stateVersion {
		return false, &StateError{Path: path, Err: fmt.Errorf("version %d, want %d", st.Version, stateVersion)}
	}
	if err := os.Remove(path); err != nil {
		return false, err
	}
	return true, nil
}

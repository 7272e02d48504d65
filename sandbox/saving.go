package sandbox

// How the served sandbox's state reaches its file: group commit, and the
// rollback that keeps memory equal to the file when a write fails.

import (
	"errors"
	"fmt"
	"sync"

	"github.com/basetenlabs/baseten/internal/atomicfile"
	"github.com/basetenlabs/baseten/internal/filelock"
)

// writeStateFile writes a state file; a variable so that tests can make
// it fail as a full disk would.
var writeStateFile = atomicfile.Write

// batch is the changes made between two writes of the state file. A
// change belongs to the batch that was pending when it was made
// (changedLocked); the write that takes the batch (encodeState) decides
// its outcome for all of them.
type batch struct {
	changes int   // guarded by Server.mu
	done    bool  // guarded by saver.mu: the outcome is known
	err     error // guarded by saver.mu: nil when the changes are on disk
}

// saver writes the state file with group commit: a change waits until a
// write that includes it has finished, but one write serves every change
// made before it started, so concurrent clients share the cost of an fsync
// instead of queueing for one each.
//
// Memory and disk always agree once a change is answered: when a write
// fails (a full disk, a read-only directory, the size cap, a closed
// sandbox), the whole live state is rebuilt from lastSaved, the bytes the
// file holds (rollback), so every change made since the last good write is
// undone, whatever kind of state it touched, and answered with the error.
type saver struct {
	path string
	mu   sync.Mutex
	lock *filelock.Lock // nil once Close has released it: no more writes
	done *sync.Cond     // signalled when a write ends
	busy bool           // a write is in progress
	// lastSaved is what the state file holds: the last bytes written, or
	// read by Open (nil: no file yet). Only the write in progress uses it.
	lastSaved []byte
}

// save returns once the changes of b are on disk (at once for a sandbox
// without a state file), or the error of the write that tried, after which
// they have been undone.
func (s *Server) save(b *batch) error {
	sv := s.saver
	if sv == nil {
		return nil
	}
	sv.mu.Lock()
	defer sv.mu.Unlock()
	for !b.done {
		if sv.busy {
			sv.done.Wait()
			continue
		}
		sv.busy = true
		closed := sv.lock == nil
		sv.mu.Unlock()
		written, undone, err := s.writePending(closed)
		sv.mu.Lock()
		for _, outcome := range []*batch{written, undone} {
			if outcome != nil {
				outcome.done, outcome.err = true, err
			}
		}
		sv.busy = false
		sv.done.Broadcast()
	}
	return b.err
}

// writePending writes the pending changes (the caller has made this the
// one write in progress) and returns their batch; when the write fails it
// rolls the live state back to the file and returns, as undone, the batch
// of the changes made meanwhile, which the rollback undid too.
func (s *Server) writePending(closed bool) (written, undone *batch, err error) {
	sv := s.saver
	data, written, err := s.encodeState()
	if err == nil && written.changes == 0 {
		return written, nil, nil // nothing to write (a Flush with nothing new)
	}
	switch {
	case err != nil:
	case closed:
		err = errors.New("the sandbox is closed")
	case len(data) > maxStateBytes:
		// A state that Open would refuse to read is never written: the
		// file keeps the last state that loads, and changes fail (500)
		// until deletes make room, as they would on a full disk.
		err = fmt.Errorf("the state would be larger than the %d MiB a sandbox reads back; delete keys to make room", maxStateBytes>>20)
	default:
		err = writeStateFile(sv.path, data, 0o600)
	}
	if _, replaced := errors.AsType[*atomicfile.NotDurableError](err); err == nil || replaced {
		// The file holds data now (if not yet durably): memory agrees.
		sv.lastSaved = data
		if err != nil {
			err = fmt.Errorf("saving the sandbox state to %s: %w", sv.path, err)
		}
		return written, nil, err
	}
	err = fmt.Errorf("saving the sandbox state to %s: %w", sv.path, err)
	undone, rollbackErr := s.rollback()
	return written, undone, errors.Join(err, rollbackErr)
}

// rollback puts the live state back as the state file has it, and returns
// the batch of changes made since the failed write began (undone with it).
// It knows nothing of what a state holds: the file's bytes are decoded and
// restored as Open does, into a fresh liveState that replaces the one in
// use, so state added later gets the same treatment by being in liveState,
// encodeState and restore.
func (s *Server) rollback() (*batch, error) {
	sv := s.saver
	if sv.lastSaved == nil {
		return nil, nil // no file yet (Open's first write): Open fails anyway
	}
	fresh := newServer(s.now)
	st, err := decodeState(sv.lastSaved)
	if err == nil {
		err = fresh.restore(st)
	}
	if err != nil { // unreachable: these bytes were written or read as a valid state
		return nil, fmt.Errorf("the sandbox could not roll back to its state file: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.liveState = fresh.liveState
	return s.pending.Swap(&batch{}), nil
}

// Flush writes any change not yet saved; a no-op when all are (or when
// nothing is persisted). A write in progress is waited for.
func (s *Server) Flush() error {
	return s.save(s.pending.Load())
}

// Close saves any change not saved yet and gives up the state file, which
// another sandbox may then open. A change made after Close is not saved:
// its request is answered 500 and the change undone. Closing again, or
// closing a sandbox without a state file, does nothing.
func (s *Server) Close() error {
	sv := s.saver
	if sv == nil || sv.closed() {
		return nil
	}
	err := s.Flush()
	sv.mu.Lock()
	defer sv.mu.Unlock()
	for sv.busy { // a write still under way finishes under the lock
		sv.done.Wait()
	}
	if sv.lock != nil {
		err = errors.Join(err, sv.lock.Unlock())
		sv.lock = nil
	}
	return err
}

func (sv *saver) closed() bool {
	sv.mu.Lock()
	defer sv.mu.Unlock()
	return sv.lock == nil
}

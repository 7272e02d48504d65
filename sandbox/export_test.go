package sandbox

import "os"

// SetMaxStateBytes sets the size limit of a state file for a test, which
// could not reach the real one (256 MiB) in reasonable time; the returned
// func restores it. Tests that use it must not run in parallel.
func SetMaxStateBytes(n int) (restore func()) {
	old := maxStateBytes
	maxStateBytes = n
	return func() { maxStateBytes = old }
}

// SetStateWriter replaces how state files are written, for a test that
// needs a write to fail as on a full disk; the returned func restores it.
// Tests that use it must not run in parallel.
func SetStateWriter(write func(path string, data []byte, perm os.FileMode) error) (restore func()) {
	old := writeStateFile
	writeStateFile = write
	return func() { writeStateFile = old }
}

// StateBytes is the state file s would write now: everything it holds in
// memory. Call it only while no request is in flight.
func StateBytes(s *Server) []byte {
	data, pending, err := s.encodeState()
	if err != nil {
		panic(err)
	}
	s.pending.Store(pending) // nothing was written: the changes stay pending
	return data
}

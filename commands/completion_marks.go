package commands

import (
	"sync"
)

// candidateMarks are notes on candidates that a shell able to show them
// shows beside the candidate: `org api-key delete --prefix <Tab>` marks
// the key the command would be using, whose deletion revokes it. fish and
// PowerShell take a note after a tab; the zsh script shows it as the
// candidate's description. bash shows candidates only, so gets none (a
// note there would be typed into the line). The predictors run in
// goroutines that a deadline may abandon, hence the lock.
type candidateMarks struct {
	mu        sync.Mutex
	keyPrefix string            // the prefix of the key in use, once known
	notes     map[string]string // candidate → note
}

// markKeyInUse is the note on the key the command would be using.
const markKeyInUse = "the key in use"

func (m *candidateMarks) setInUse(prefix string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.keyPrefix = prefix
}

func (m *candidateMarks) inUse() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.keyPrefix
}

func (m *candidateMarks) mark(candidate, note string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.notes == nil {
		m.notes = map[string]string{}
	}
	m.notes[candidate] = note
}

// markOf is what follows candidate on its line for shell: a tab and the
// note, or nothing.
func (l *liveValues) markOf(candidate, shell string) string {
	switch shell {
	case "fish", "powershell", "zsh":
	default:
		return ""
	}
	l.marks.mu.Lock()
	defer l.marks.mu.Unlock()
	if note, ok := l.marks.notes[candidate]; ok {
		return "\t" + note
	}
	return ""
}

package commands

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
)

// WaitFlags are --wait and --timeout, for the commands whose change takes
// a while to happen after the API has accepted it.
type WaitFlags struct {
	Wait    bool          `help:"Wait until the change has settled, showing its progress on stderr; fail (exit 1) if it ends in a failed state."`
	Timeout time.Duration `default:"20m" help:"With --wait, how long to wait at most (exit 1 when it passes; the change goes on)."`
}

// AfterApply refuses a --timeout that cannot be waited, or that would
// be ignored (without --wait nothing waits).
func (f *WaitFlags) AfterApply(kctx *kong.Context) error {
	if flagGiven(kctx, "timeout") && !f.Wait {
		return usageError("--timeout only applies with --wait", "Add --wait, or drop --timeout.")
	}
	if f.Timeout <= 0 {
		return usageError(fmt.Sprintf("--timeout %s: want a positive duration such as 90s or 20m", f.Timeout), "")
	}
	return nil
}

// progress is one look at what is being waited for.
type progress struct {
	status  string // as the API spells it (a deployment's, or a promotion's)
	percent *int64 // a rolling promotion's traffic on the candidate
	done    bool   // settled as wanted
	failure string // settled otherwise: why ("" while not)
	body    []byte // what the look fetched, for -o json at the end
}

func (p progress) String() string {
	if p.percent != nil {
		return fmt.Sprintf("%s %d%%", p.status, *p.percent)
	}
	return p.status
}

// Polling: the first look at once, then with backoff, so a quick change
// is seen quickly and a slow one costs few requests.
const (
	firstPollDelay = 250 * time.Millisecond
	maxPollDelay   = 5 * time.Second
	// pollFailures is how many looks in a row may fail (a 5xx, a dropped
	// connection) before the wait gives up: the change goes on regardless.
	pollFailures = 5
)

// waiter polls look until it reports done or a failure, the context ends
// (Ctrl-C: exit 130) or timeout passes (exit 1). On a terminal it keeps
// one live line on stderr (a spinner, the status, the elapsed time);
// otherwise it writes one line per change of status.
type waiter struct {
	streams *render.IO
	timeout time.Duration
	what    string // "deployment abc", for every line
	// describe is a command line that shows the state later, for hints.
	describe string
}

func (w *waiter) wait(ctx context.Context, look func(context.Context) (progress, error)) ([]byte, error) {
	start := time.Now()
	deadline, cancel := context.WithTimeout(ctx, w.timeout)
	defer cancel()
	line := newLiveLine(w.streams, w.what, start)
	defer line.stop()
	var last progress
	failures := 0
	delay := firstPollDelay
	for {
		p, err := look(deadline)
		switch {
		case err == nil:
			failures = 0
			if p.String() != last.String() {
				line.update(p)
			}
			last = p
			if p.done {
				line.stop()
				w.streams.Notef("%s is %s (after %s)", capitalize(w.what), p, render.FormatDuration(time.Since(start)))
				return p.body, nil
			}
			if p.failure != "" {
				line.stop()
				return nil, failed("See: "+w.describe, "%s %s", w.what, p.failure)
			}
		case ctx.Err() != nil || deadline.Err() != nil:
			// handled below
		case transient(err) && failures+1 < pollFailures:
			failures++
			line.note(fmt.Sprintf("checking on %s failed (%v); trying again", w.what, err))
		default:
			line.stop()
			return nil, fmt.Errorf("while waiting for %s (the change goes on): %w", w.what, err)
		}
		timer := time.NewTimer(delay)
		select {
		case <-timer.C:
		case <-deadline.Done():
			timer.Stop()
		}
		if ctx.Err() != nil {
			line.stop()
			return nil, interrupted(fmt.Sprintf("stopped waiting for %s%s; the change goes on server-side", w.what, lastSeen(last)), "Check on it with: "+w.describe)
		}
		if deadline.Err() != nil {
			line.stop()
			return nil, failed("The change goes on server-side; check on it with: "+w.describe, "timed out after %s waiting for %s%s", render.FormatDuration(w.timeout), w.what, lastSeen(last))
		}
		delay = min(delay*3/2, maxPollDelay)
	}
}

func lastSeen(p progress) string {
	if p.status == "" {
		return ""
	}
	return "; its last status was " + p.String()
}

// transient reports whether a failed look is worth another: a server
// error or a network failure, not a 4xx (the thing is gone, the key
// revoked) nor an answer that is not the API's.
func transient(err error) bool {
	if apiErr, ok := errors.AsType[*managementapi.APIError](err); ok {
		return apiErr.Status >= 500
	}
	_, network := errors.AsType[*managementapi.NetworkError](err)
	_, timeout := errors.AsType[*managementapi.TimeoutError](err)
	return network || timeout
}

func capitalize(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}

// liveLine is the progress line on stderr. On a terminal a goroutine
// redraws it in place every spinnerInterval (the spinner turns and the
// time counts while a request is out); elsewhere each change is a line of
// its own, and nothing runs in the background.
type liveLine struct {
	streams *render.IO
	what    string
	start   time.Time
	live    bool

	mu      sync.Mutex // guards what follows and every write to stderr while live
	current string
	frame   int
	stopped bool
	done    chan struct{} // closed by stop: the redrawing goroutine ends
	ended   sync.WaitGroup
}

const spinnerInterval = 100 * time.Millisecond

// maxLiveStatus bounds the status on the live line (the API's are at most
// 14 characters; a longer one is a server's mistake).
const maxLiveStatus = 32

var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

func newLiveLine(streams *render.IO, what string, start time.Time) *liveLine {
	l := &liveLine{streams: streams, what: what, start: start, live: streams.ErrIsTerminal, done: make(chan struct{})}
	if l.live {
		l.ended.Add(1)
		go l.spin()
	}
	return l
}

func (l *liveLine) spin() {
	defer l.ended.Done()
	ticker := time.NewTicker(spinnerInterval)
	defer ticker.Stop()
	for {
		select {
		case <-l.done:
			return
		case <-ticker.C:
			l.mu.Lock()
			if !l.stopped && l.current != "" { // nothing to show before the first look
				l.frame++
				l.drawLocked()
			}
			l.mu.Unlock()
		}
	}
}

// update shows a new status: redrawn on a terminal, a new line elsewhere.
func (l *liveLine) update(p progress) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.live {
		l.streams.Notef("%s: %s", l.what, p) // Notef cleans it
		return
	}
	// One line it must stay: a longer one would wrap, and each redraw
	// (a carriage return) would leave a line behind.
	p.status = shorten(p.status, maxLiveStatus)
	l.current = render.Sanitize(p.String())
	if l.streams.ErrStyled() {
		l.current = styleProgress(p)
	}
	l.drawLocked()
}

// note writes a line of its own above the live line.
func (l *liveLine) note(msg string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.live {
		fmt.Fprint(l.streams.Err, "\r\x1b[K")
	}
	l.streams.Notef("%s", msg)
	if l.live {
		l.drawLocked()
	}
}

// drawLocked redraws the line: carriage return, the line, erase to its end.
// The status and what are ours or sanitized (Clean); only the color is raw.
func (l *liveLine) drawLocked() {
	elapsed := time.Since(l.start).Truncate(time.Second)
	fmt.Fprintf(l.streams.Err, "\r%s %s: %s (%s)\x1b[K", spinnerFrames[l.frame%len(spinnerFrames)], l.streams.Clean(l.what), l.current, elapsed)
}

// stop ends the live line (erasing it) and the goroutine; it may be called
// more than once.
func (l *liveLine) stop() {
	l.mu.Lock()
	if l.stopped {
		l.mu.Unlock()
		return
	}
	l.stopped = true
	close(l.done)
	if l.live {
		fmt.Fprint(l.streams.Err, "\r\x1b[K")
	}
	l.mu.Unlock()
	l.ended.Wait()
}

// styleProgress colors a status for the live line, as statusStyle does
// for output; the text is sanitized first, since it comes from the API.
func styleProgress(p progress) string {
	status := render.Sanitize(p.status)
	switch {
	case p.done || managementapi.DeploymentStatus(p.status) == managementapi.StatusActive:
		status = render.Green(status)
	case p.failure != "" || managementapi.DeploymentStatus(p.status).Failed():
		status = render.Red(status)
	default:
		status = render.Yellow(status)
	}
	if p.percent != nil {
		status += fmt.Sprintf(" %d%%", *p.percent)
	}
	return status
}

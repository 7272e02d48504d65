//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || zos

package render

import (
	"context"
	"errors"
	"strings"

	"golang.org/x/sys/unix"
)

// readWithoutEcho turns the terminal's echo off, reads one line and turns
// it back on, on every way out: the line, an error, or ctx ending. It does
// what term.ReadPassword does, but turns echo off before it returns to
// wait, not in the goroutine that reads: there, a ctx ending first would
// restore the terminal before the goroutine turned echo off, and the
// process would exit with the terminal silent.
func readWithoutEcho(ctx context.Context, fd int) (string, error) {
	before, err := unix.IoctlGetTermios(fd, ioctlReadTermios)
	if err != nil {
		return "", err
	}
	quiet := *before
	quiet.Lflag &^= unix.ECHO
	quiet.Lflag |= unix.ICANON | unix.ISIG
	quiet.Iflag |= unix.ICRNL
	if err := unix.IoctlSetTermios(fd, ioctlWriteTermios, &quiet); err != nil {
		return "", err
	}
	defer unix.IoctlSetTermios(fd, ioctlWriteTermios, before)
	done := make(chan lineRead, 1)
	go func() {
		line, err := readTerminalLine(fd)
		done <- lineRead{line, err}
	}()
	select {
	case r := <-done:
		return r.line, r.err
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// maxTerminalLine bounds what is read: a canonical-mode line is at most
// 4096 bytes, and no key is longer.
const maxTerminalLine = 64 << 10

// readTerminalLine reads up to the end of a line; the terminal, in
// canonical mode, has done the editing (backspace, Ctrl-U).
func readTerminalLine(fd int) (string, error) {
	var line strings.Builder
	var buf [512]byte
	for line.Len() < maxTerminalLine {
		n, err := unix.Read(fd, buf[:])
		if errors.Is(err, unix.EINTR) {
			continue
		}
		if err != nil {
			return "", err
		}
		if n == 0 { // Ctrl-D on an empty line
			break
		}
		chunk := string(buf[:n])
		if before, _, found := strings.Cut(chunk, "\n"); found {
			line.WriteString(before)
			break
		}
		line.WriteString(chunk)
	}
	return strings.TrimSuffix(line.String(), "\r"), nil
}

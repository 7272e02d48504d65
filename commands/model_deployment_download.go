package commands

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/alecthomas/kong"

	"github.com/basetenlabs/baseten/managementapi"
	"github.com/basetenlabs/baseten/render"
	"github.com/basetenlabs/baseten/schema"
)

// ModelDeploymentDownloadCmd is `baseten model deployment download`.
type ModelDeploymentDownloadCmd struct {
	ModelRef
	DeploymentRef
	OutFile   string `name:"out-file" xor:"destination" required:"" type:"path" help:"Write the archive (a tar file, as the API serves it) to this file."`
	OutDir    string `name:"out-dir" xor:"destination" required:"" type:"path" help:"Extract the archive into this directory, which must not exist or be empty (see --overwrite). Entries that would land outside it are refused."`
	Overwrite bool   `help:"Replace an existing --out-file, or the contents of a non-empty --out-dir."`
	CommonFlags
}

func (c *ModelDeploymentDownloadCmd) Help() string {
	return "Download a deployment's truss. The API hands out a presigned URL on another host, which is fetched without the API key (that host must never see it), with a progress bar on stderr when it is a terminal. --out-file keeps the archive as it is; --out-dir extracts it, refusing any entry that would land outside the directory (absolute paths, .. components, links pointing out, device files). Nothing is left half-written when a download or an extraction fails."
}

func (c *ModelDeploymentDownloadCmd) Spec() schema.Spec {
	return schema.Spec{
		Examples: []schema.Example{
			{Description: "Download and extract a deployment's truss", Command: "baseten model deployment download --model-name <model-name> --deployment-id <deployment-id> --out-dir ./truss"},
			{Description: "Download the archive as a file, replacing an earlier one", Command: "baseten model deployment download --model-id <model-id> --deployment-id <deployment-id> --out-file truss.tar.gz --overwrite"},
		},
		JQExample: schema.Example{
			Description: "Download, then print the presigned URL it came from",
			Command:     "baseten model deployment download --model-id <model-id> --deployment-id <deployment-id> --out-file truss.tar.gz --overwrite --jq '.download_url'",
		},
		TextOutput: `Prints "Downloaded deployment <id> to <file> (<size>)" or "Extracted deployment <id> into <dir> (<n> files)" to stderr; no stdout output. The JSON modes print the API's answer, which holds the presigned URL (a credential for a while: keep it to yourself).`,
		Payload:    managementapi.DownloadDeploymentResponse{},
	}
}

func (c *ModelDeploymentDownloadCmd) Rehearsal() schema.Rehearsal {
	return modelRehearsal("<model-name>", "<model-id>", "<deployment-id>")
}

// AfterApply refuses, before any request, a destination that exists
// without --overwrite, or that is not what the flag takes.
func (c *ModelDeploymentDownloadCmd) AfterApply(kctx *kong.Context) error {
	// Kong turns an empty path into the current directory: an unset
	// shell variable (--out-dir "$DIR" --overwrite) would replace it.
	for _, flag := range []string{"out-file", "out-dir"} {
		if emptyOnCommandLine(kctx.Args, flag) {
			return usageError(fmt.Sprintf("--%s must not be empty", flag), "Pass . to mean the current directory.")
		}
	}
	dest, flag := c.OutFile, "--out-file"
	if dest == "" {
		dest, flag = c.OutDir, "--out-dir"
	}
	// Its parent must exist: the download is staged there, and a failed
	// one must not leave directories it made behind.
	if parent := filepath.Dir(filepath.Clean(dest)); !isDir(parent) {
		return usageError(fmt.Sprintf("%s %s: the directory %s does not exist", flag, dest, parent), "Create it first, or choose another place.")
	}
	if c.OutFile != "" {
		// Lstat: a dangling link exists too (the final hard link would
		// fail on it after the whole download); a link to a directory is
		// the directory.
		info, err := os.Lstat(c.OutFile)
		if err == nil && info.Mode()&fs.ModeSymlink != 0 {
			if target, statErr := os.Stat(c.OutFile); statErr == nil {
				info = target
			}
		}
		switch {
		case err == nil && info.IsDir():
			return usageError(fmt.Sprintf("--out-file %s is a directory", c.OutFile), "Pass --out-dir to extract into a directory.")
		case err == nil && !c.Overwrite:
			return usageError(fmt.Sprintf("--out-file %s already exists", c.OutFile), "Pass --overwrite to replace it.")
		}
		return nil
	}
	entries, err := os.ReadDir(c.OutDir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		if info, statErr := os.Stat(c.OutDir); statErr == nil && !info.IsDir() {
			return usageError(fmt.Sprintf("--out-dir %s is not a directory", c.OutDir), "Pass --out-file to keep the archive as a file.")
		}
		return settingError(fmt.Sprintf("cannot read --out-dir %s: %v", c.OutDir, err), "")
	case len(entries) > 0 && !c.Overwrite:
		return usageError(fmt.Sprintf("--out-dir %s is not empty", c.OutDir), "Pass --overwrite to replace its contents, or choose another directory.")
	}
	return nil
}

func (c *ModelDeploymentDownloadCmd) Run(ctx context.Context, streams *render.IO, client *managementapi.Client) error {
	m, err := c.lookup(ctx, client)
	if err != nil {
		return err
	}
	answer, err := client.GetDeploymentDownload(ctx, m.ID, c.DeploymentID)
	if err != nil {
		return deploymentNotFound(err, m, c.DeploymentID)
	}
	link, err := answer.Decode()
	if err != nil {
		return err
	}
	u, err := client.CheckDownloadURL(link.DownloadURL)
	if err != nil {
		return err
	}
	dest := c.OutFile
	if dest == "" {
		dest = c.OutDir
	}
	// The archive goes to a temporary file beside the destination, so
	// that the final rename stays on one file system.
	dir := filepath.Dir(filepath.Clean(dest))
	tmp, err := os.CreateTemp(dir, ".baseten-download-*")
	if err != nil {
		return failed("", "cannot write beside %s: %w", dest, err)
	}
	defer os.Remove(tmp.Name()) // a no-op once it has been renamed
	bar := newProgressBar(streams, "deployment "+c.DeploymentID)
	size, err := client.Download(ctx, u, tmp, managementapi.MaxListBody, bar.update)
	bar.stop()
	if closeErr := tmp.Close(); err == nil {
		err = closeErr
	}
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return interrupted("interrupted; nothing was written", "")
		}
		return fmt.Errorf("%w; nothing was written", err)
	}
	if c.OutFile != "" {
		if err := os.Chmod(tmp.Name(), 0o644); err != nil {
			return err
		}
		if err := placeFile(tmp.Name(), c.OutFile, c.Overwrite); err != nil {
			return err
		}
		streams.Notef("Downloaded deployment %s to %s (%s)", c.DeploymentID, c.OutFile, formatSize(size))
	} else {
		files, err := extractInto(ctx, tmp.Name(), c.OutDir, c.Overwrite)
		if errors.Is(err, context.Canceled) {
			return interrupted("interrupted; nothing was extracted", "")
		}
		if err != nil {
			return err
		}
		streams.Notef("Extracted deployment %s into %s (%d files)", c.DeploymentID, c.OutDir, files)
	}
	return finishAction(ctx, streams, &c.OutputFlags, answer.Body)
}

// placeFile puts the downloaded file at dest. Without overwrite it never
// replaces a file that appeared since the command started (a hard link
// fails on an existing name, where a rename would replace it).
func placeFile(tmp, dest string, overwrite bool) error {
	if !overwrite {
		err := os.Link(tmp, dest)
		if errors.Is(err, fs.ErrExist) {
			return failed("Pass --overwrite to replace it.", "%s appeared while downloading; nothing was written", dest)
		}
		if err == nil {
			return nil // tmp goes with the deferred Remove
		}
		// A file system without hard links: rename, after a last look.
		if _, statErr := os.Lstat(dest); statErr == nil {
			return failed("Pass --overwrite to replace it.", "%s appeared while downloading; nothing was written", dest)
		}
	}
	if err := os.Rename(tmp, dest); err != nil {
		return failed("", "cannot write %s: %w", dest, err)
	}
	return nil
}

// extractInto extracts the archive into a fresh staging directory beside
// dir, then puts it in dir's place (an existing dir, empty or, with
// overwrite, not, is moved aside and removed only once the new one is
// there). A failure leaves dir as it was.
func extractInto(ctx context.Context, archive, dir string, overwrite bool) (int, error) {
	dir = filepath.Clean(dir)
	staging, err := os.MkdirTemp(filepath.Dir(dir), ".baseten-extract-*")
	if err != nil {
		return 0, failed("", "cannot write beside %s: %w", dir, err)
	}
	defer os.RemoveAll(staging) // a no-op once it has been renamed
	f, err := os.Open(archive)
	if err != nil {
		return 0, err
	}
	files, err := extractArchive(ctx, f, staging)
	f.Close()
	if err != nil {
		return 0, err
	}
	if err := os.Chmod(staging, 0o755); err != nil {
		return 0, err
	}
	old := ""
	if _, err := os.Lstat(dir); err == nil {
		// Checked again: files may have appeared since the command
		// started, or a file may have taken the directory's name (it
		// would be removed below).
		if entries, readErr := os.ReadDir(dir); (readErr != nil || len(entries) > 0) && !overwrite {
			return 0, failed("Pass --overwrite to replace it.", "%s is no longer an empty directory; nothing was extracted", dir)
		}
		old = staging + ".old"
		if err := os.Rename(dir, old); err != nil {
			return 0, failed("", "cannot replace %s: %w", dir, err)
		}
	}
	if err := os.Rename(staging, dir); err != nil {
		if old != "" {
			os.Rename(old, dir) // put it back
		}
		return 0, failed("", "cannot write %s: %w", dir, err)
	}
	if old != "" {
		os.RemoveAll(old)
	}
	return files, nil
}

// progressBar shows a download's progress on stderr when it is a
// terminal (redrawn at most every tenth of a second), and nothing
// otherwise.
type progressBar struct {
	streams *render.IO
	what    string
	mu      sync.Mutex
	drawn   time.Time
	shown   bool
}

func newProgressBar(streams *render.IO, what string) *progressBar {
	return &progressBar{streams: streams, what: what}
}

func (b *progressBar) update(done, total int64) {
	if !b.streams.ErrIsTerminal {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if time.Since(b.drawn) < 100*time.Millisecond && done != total {
		return
	}
	b.drawn, b.shown = time.Now(), true
	line := fmt.Sprintf("Downloading %s  %s", b.streams.Clean(b.what), formatSize(done))
	if total > 0 {
		const width = 30
		filled := int(done * width / total)
		line = fmt.Sprintf("Downloading %s  [%s%s] %s / %s  %d%%", b.streams.Clean(b.what),
			strings.Repeat("#", filled), strings.Repeat(" ", width-filled), formatSize(done), formatSize(total), done*100/total)
	}
	fmt.Fprintf(b.streams.Err, "\r%s\x1b[K", line)
}

func (b *progressBar) stop() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.shown {
		fmt.Fprint(b.streams.Err, "\r\x1b[K")
	}
}

// formatSize spells a byte count for a person: exact below a KiB, else
// to a tenth, rounded down, in integers.
func formatSize(n int64) string {
	tenths := func(unit int64) string { return fmt.Sprintf("%d.%d", n/unit, n%unit*10/unit) }
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return tenths(1<<10) + " KiB"
	}
	return tenths(1<<20) + " MiB"
}

// emptyOnCommandLine reports whether args give --flag an empty value
// ("--flag=" or "--flag" ""), which a path flag no longer shows once
// parsed.
func emptyOnCommandLine(args []string, flag string) bool {
	for i, arg := range args {
		switch {
		case arg == "--":
			return false
		case arg == "--"+flag+"=":
			return true
		case arg == "--"+flag && i+1 < len(args) && args[i+1] == "":
			return true
		}
	}
	return false
}

func isDir(path string) bool {
	info, err := os.Stat(path)
	return err == nil && info.IsDir()
}

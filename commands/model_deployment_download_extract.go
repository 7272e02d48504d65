package commands

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// Safe extraction of a downloaded truss archive (a tar, gzipped or not)
// into a directory of our own that nobody else writes to (a fresh staging
// directory). The archive comes from another host and is hostile until
// proven otherwise: every entry must land inside the directory, so
// absolute names, ".." components, and symbolic or hard links that point
// outside are refused, as are device files and FIFOs. A link the archive
// made is never followed: an entry whose path goes through one is
// refused, and files are created with O_EXCL, so nothing is written
// through a link.

// Extraction bounds: a gzip bomb stops at maxExtracted bytes.
const (
	maxExtracted = 1 << 30
	maxEntries   = 100_000
)

// errUnsafeEntry is an archive entry that extraction refuses.
type errUnsafeEntry struct{ name, why string }

func (e *errUnsafeEntry) Error() string {
	return fmt.Sprintf("the archive's entry %q %s; nothing was extracted", e.name, e.why)
}

// extractArchive extracts r into root, which must be an empty directory
// of ours, and returns the number of files and links it made.
func extractArchive(r io.Reader, root string) (int, error) {
	br := bufio.NewReader(r)
	var stream io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return 0, fmt.Errorf("the archive is not a valid gzip file: %w", err)
		}
		defer gz.Close()
		stream = gz
	}
	tr := tar.NewReader(stream)
	var total int64
	files := 0
	for entries := 0; ; entries++ {
		hdr, err := tr.Next()
		if err == io.EOF {
			return files, nil
		}
		if err != nil {
			return files, fmt.Errorf("the archive is not a valid tar file: %w", err)
		}
		if entries >= maxEntries {
			return files, fmt.Errorf("the archive holds more than %d entries; nothing was extracted", maxEntries)
		}
		rel, err := entryPath(hdr.Name)
		if err != nil {
			return files, err
		}
		if rel == "." {
			continue // the archive's root directory itself
		}
		target := filepath.Join(root, filepath.FromSlash(rel))
		if err := noLinkOnTheWay(root, rel); err != nil {
			return files, &errUnsafeEntry{hdr.Name, err.Error()}
		}
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return files, err
			}
			continue
		case tar.TypeReg: // the reader turns the old TypeRegA into TypeReg
			if total += hdr.Size; total > maxExtracted {
				return files, fmt.Errorf("the archive expands to more than %d MiB; nothing was extracted", maxExtracted>>20)
			}
			if err := writeEntry(target, tr, hdr); err != nil {
				return files, err
			}
		case tar.TypeSymlink:
			if err := checkLinkTarget(root, rel, hdr.Linkname, true); err != nil {
				return files, &errUnsafeEntry{hdr.Name, err.Error()}
			}
			if err := mkParent(target); err != nil {
				return files, err
			}
			if err := os.Symlink(filepath.FromSlash(hdr.Linkname), target); err != nil {
				return files, err
			}
		case tar.TypeLink:
			if err := checkLinkTarget(root, rel, hdr.Linkname, false); err != nil {
				return files, &errUnsafeEntry{hdr.Name, err.Error()}
			}
			linked, _ := entryPath(hdr.Linkname)
			source := filepath.Join(root, filepath.FromSlash(linked))
			if info, err := os.Lstat(source); err != nil || !info.Mode().IsRegular() || noLinkOnTheWay(root, linked) != nil {
				return files, &errUnsafeEntry{hdr.Name, "is a hard link to something that is not a file extracted before it"}
			}
			if err := mkParent(target); err != nil {
				return files, err
			}
			if err := os.Link(source, target); err != nil {
				return files, err
			}
		case tar.TypeChar, tar.TypeBlock:
			return files, &errUnsafeEntry{hdr.Name, "is a device file"}
		case tar.TypeFifo:
			return files, &errUnsafeEntry{hdr.Name, "is a FIFO"}
		default:
			return files, &errUnsafeEntry{hdr.Name, fmt.Sprintf("has a type (%q) that is not a file, directory or link", hdr.Typeflag)}
		}
		files++
	}
}

// entryPath is an entry's name as a clean relative slash path, or an
// error when it would land outside the directory.
func entryPath(name string) (string, error) {
	if name == "" {
		return "", &errUnsafeEntry{name, "has no name"}
	}
	if strings.HasPrefix(name, "/") || filepath.IsAbs(name) || filepath.VolumeName(name) != "" {
		return "", &errUnsafeEntry{name, "is an absolute path"}
	}
	if strings.Contains(name, `\`) { // a separator on Windows, which tar never uses
		return "", &errUnsafeEntry{name, "holds a backslash"}
	}
	clean := path.Clean(name)
	if clean == ".." || strings.HasPrefix(clean, "../") {
		return "", &errUnsafeEntry{name, "would land outside the directory"}
	}
	return clean, nil
}

// checkLinkTarget refuses a link whose target leaves the directory: a
// symbolic link's target is relative to the link's own directory, a hard
// link's to the archive's root. The target is walked a component at a
// time, as the system would resolve it: a ".." above the root, or a step
// through a symbolic link the archive made (whose own ".." could lead
// anywhere), is refused.
func checkLinkTarget(root, rel, linkname string, symbolic bool) error {
	if linkname == "" || strings.HasPrefix(linkname, "/") || strings.Contains(linkname, `\`) || filepath.IsAbs(linkname) {
		return errors.New("is a link to an absolute path")
	}
	walk := linkname
	if symbolic {
		walk = path.Dir(rel) + "/" + linkname
	}
	var at []string
	parts := strings.Split(walk, "/")
	for i, part := range parts {
		switch part {
		case "", ".":
			continue
		case "..":
			if len(at) == 0 {
				return fmt.Errorf("is a link to %q, outside the directory", linkname)
			}
			at = at[:len(at)-1]
			continue
		}
		at = append(at, part)
		if i == len(parts)-1 {
			break
		}
		info, err := os.Lstat(filepath.Join(root, filepath.Join(at...)))
		if err == nil && info.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("is a link through %q, a link the archive made", path.Join(at...))
		}
	}
	return nil
}

// noLinkOnTheWay refuses a path whose parent directories, as extracted so
// far, include a symbolic link: writing there would follow it.
func noLinkOnTheWay(root, rel string) error {
	dir := root
	parts := strings.Split(rel, "/")
	for _, part := range parts[:len(parts)-1] {
		dir = filepath.Join(dir, part)
		info, err := os.Lstat(dir)
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil {
			return err
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			return fmt.Errorf("goes through %q, a link the archive made", strings.TrimPrefix(dir, root+string(filepath.Separator)))
		}
		if !info.IsDir() {
			return fmt.Errorf("goes through %q, which is not a directory", part)
		}
	}
	// The entry itself must not replace something already there (a link
	// of the archive's, say): files are created with O_EXCL.
	return nil
}

func mkParent(target string) error { return os.MkdirAll(filepath.Dir(target), 0o755) }

// writeEntry creates target (it must not exist: O_EXCL never writes
// through a link) with the entry's content; executables stay executable,
// nothing gets more than rwxr-xr-x.
func writeEntry(target string, r io.Reader, hdr *tar.Header) error {
	if err := mkParent(target); err != nil {
		return err
	}
	mode := os.FileMode(0o644)
	if hdr.Mode&0o111 != 0 {
		mode = 0o755
	}
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if errors.Is(err, fs.ErrExist) {
		return &errUnsafeEntry{hdr.Name, "appears twice in the archive"}
	}
	if err != nil {
		return err
	}
	_, err = io.CopyN(f, r, hdr.Size)
	if closeErr := f.Close(); err == nil {
		err = closeErr
	}
	return err
}

package main

import (
	"archive/tar"
	"archive/zip"
	"cmp"
	"compress/flate"
	"compress/gzip"
	"io"
	"io/fs"
	"slices"
	"time"
)

// entry is one file or directory of an archive.
type entry struct {
	name string      // slash-separated, relative; a directory's ends in "/"
	mode fs.FileMode // fs.ModeDir and the permission bits
	data []byte
}

// The writers below make archives that depend on the entries and mtime
// only: entries in sorted order (a directory's name sorts before its
// contents), every entry with the same time, owner root (0:0, no names)
// and its own fixed mode, nothing of the machine that wrote them (no
// names, no atime or ctime, no extended attributes), compressed by the
// standard library's deterministic compressors.

func sorted(entries []entry) []entry {
	return slices.SortedFunc(slices.Values(entries), func(a, b entry) int { return cmp.Compare(a.name, b.name) })
}

// writeTarGz writes entries as a gzip-compressed tar archive. The gzip
// header is left empty: no file name, and a zero mtime, which gzip
// defines as "none".
func writeTarGz(w io.Writer, entries []entry, mtime time.Time) error {
	gz, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(gz)
	for _, e := range sorted(entries) {
		h := &tar.Header{
			Name:    e.name,
			Mode:    int64(e.mode.Perm()),
			ModTime: mtime.Truncate(time.Second),
			// USTAR has no fields for atime, ctime or extended records.
			Format: tar.FormatUSTAR,
		}
		if e.mode.IsDir() {
			h.Typeflag = tar.TypeDir
		} else {
			h.Typeflag, h.Size = tar.TypeReg, int64(len(e.data))
		}
		if err := tw.WriteHeader(h); err != nil {
			return err
		}
		if _, err := tw.Write(e.data); err != nil {
			return err
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

// writeZip writes entries as a zip archive, the format Windows opens
// without extra tools. The Unix modes are recorded too, so unzip on Unix
// keeps the binary executable.
func writeZip(w io.Writer, entries []entry, mtime time.Time) error {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestCompression)
	})
	for _, e := range sorted(entries) {
		h := &zip.FileHeader{
			Name: e.name,
			// In UTC: the MS-DOS time zip also records has no zone, and
			// would otherwise be the builder's local time.
			Modified: mtime.UTC().Truncate(time.Second),
			Method:   zip.Deflate,
		}
		if e.mode.IsDir() {
			h.Method = zip.Store
		}
		h.SetMode(e.mode)
		f, err := zw.CreateHeader(h)
		if err != nil {
			return err
		}
		if _, err := f.Write(e.data); err != nil {
			return err
		}
	}
	return zw.Close()
}

package main

// Comparing and writing the output directory. docgen owns the directory:
// it must hold exactly the pages Pages renders, byte for byte. Check lists
// what differs, and Write fixes exactly that list, so `-check` and a
// regeneration can never disagree about what "fresh" means.

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// Problem kinds.
const (
	Missing = "missing" // a page is not in the directory
	Stale   = "stale"   // a page is there with other content
	Extra   = "extra"   // the directory holds something that is no page
)

// Problem is one way the directory differs from the rendered pages.
type Problem struct {
	Kind string
	Name string // the file name, as in the pages map
	Path string // the file, within the directory
}

// Check compares dir with pages without changing anything. A directory that
// does not exist yet is all missing pages. The problems are sorted by file.
func Check(dir string, pages map[string][]byte) ([]Problem, error) {
	entries, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	var problems []Problem
	add := func(kind, name string) {
		problems = append(problems, Problem{Kind: kind, Name: name, Path: filepath.Join(dir, name)})
	}
	present := map[string]bool{}
	for _, e := range entries {
		want, isPage := pages[e.Name()]
		if !isPage || e.IsDir() {
			add(Extra, e.Name())
			continue
		}
		present[e.Name()] = true
		got, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(got, want) {
			add(Stale, e.Name())
		}
	}
	for name := range pages {
		if !present[name] {
			add(Missing, name)
		}
	}
	sort.Slice(problems, func(i, j int) bool {
		if problems[i].Name != problems[j].Name {
			return problems[i].Name < problems[j].Name
		}
		return problems[i].Kind < problems[j].Kind
	})
	return problems, nil
}

// Write makes dir hold exactly pages: it writes missing and stale pages and
// removes extra files (the page of a command that no longer exists, say),
// leaving fresh pages untouched. It returns what it fixed. It refuses to
// remove a directory: that is nothing docgen wrote, so a person decides.
func Write(dir string, pages map[string][]byte) ([]Problem, error) {
	problems, err := Check(dir, pages)
	if err != nil {
		return nil, err
	}
	for _, p := range problems {
		if p.Kind == Extra {
			if info, err := os.Stat(p.Path); err == nil && info.IsDir() {
				return nil, fmt.Errorf("%s is a directory, not a page; remove it by hand", p.Path)
			}
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	for _, p := range problems {
		if p.Kind == Extra {
			err = os.Remove(p.Path)
		} else {
			err = os.WriteFile(p.Path, pages[p.Name], 0o644)
		}
		if err != nil {
			return nil, err
		}
	}
	return problems, nil
}

package uringos_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/uringos"
)

// tree makes a small directory tree and returns its root and the files
// in it.
func tree(t *testing.T) (string, []string) {
	t.Helper()
	root := t.TempDir()
	files := map[string]string{
		"a.txt":          "alpha\n",
		"empty":          "",
		"sub/b.txt":      "beta beta\n",
		"sub/deep/c.bin": string(pattern(5000, 7)), // fstest reads it a byte or two at a time
		"sub/deep/d":     "d",
		"other/e":        "eeeee",
	}
	var names []string
	for name, data := range files {
		p := filepath.Join(root, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	if err := os.Mkdir(filepath.Join(root, "emptydir"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a.txt", filepath.Join(root, "link")); err != nil {
		t.Fatal(err)
	}
	return root, append(names, "link")
}

func TestDirFSPassesFSTest(t *testing.T) {
	root, names := tree(t)
	for name, s := range loops(t) {
		t.Run(name, func(t *testing.T) {
			if err := fstest.TestFS(s.DirFS(root), names...); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("package-level", func(t *testing.T) {
		if err := fstest.TestFS(uringos.DirFS(root), names...); err != nil {
			t.Fatal(err)
		}
	})
}

// TestDirFSMatchesOSDirFS compares each fs interface method with os.DirFS,
// errors included.
func TestDirFSMatchesOSDirFS(t *testing.T) {
	root, _ := tree(t)
	ufs, ofs := uringos.DirFS(root), os.DirFS(root)
	type res struct {
		Out any
		Err any
	}
	call := func(fsys fs.FS, name string) []res {
		var out []res
		b, err := fs.ReadFile(fsys, name)
		out = append(out, res{string(b), normErr(root, err)})
		fi, err := fs.Stat(fsys, name)
		out = append(out, res{normInfo(fi), normErr(root, err)})
		ents, err := fs.ReadDir(fsys, name)
		out = append(out, res{norm(root, ents), normErr(root, err)})
		li, err := fsys.(fs.ReadLinkFS).Lstat(name)
		out = append(out, res{normInfo(li), normErr(root, err)})
		target, err := fsys.(fs.ReadLinkFS).ReadLink(name)
		out = append(out, res{target, normErr(root, err)})
		f, err := fsys.Open(name)
		out = append(out, res{nil, normErr(root, err)})
		if err == nil {
			f.Close()
		}
		return out
	}
	for _, name := range []string{".", "a.txt", "sub", "sub/deep/d", "missing", "a.txt/x", "../x", "/abs", "sub/", "emptydir", "link"} {
		if diff := cmp.Diff(call(ofs, name), call(ufs, name)); diff != "" {
			t.Errorf("%q: (-os.DirFS +uringos.DirFS):\n%s", name, diff)
		}
	}
	if _, err := uringos.DirFS("").Open("x"); err == nil || !errors.Is(err, err) {
		t.Errorf("DirFS(\"\").Open: err = %v, want an error", err)
	}
}

package uringos_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/uringos"
)

// batchNames is a mix of files, directories, links, missing paths and
// bad paths, more than one submission window long.
func batchNames(t *testing.T) []string {
	t.Helper()
	root, names := tree(t)
	var out []string
	for _, n := range names {
		out = append(out, filepath.Join(root, n))
	}
	for i := range 600 {
		p := filepath.Join(root, fmt.Sprintf("n%03d", i))
		if err := os.WriteFile(p, make([]byte, i), 0o644); err != nil {
			t.Fatal(err)
		}
		out = append(out, p)
	}
	os.Symlink("a.txt", filepath.Join(root, "link"))
	os.Symlink("missing", filepath.Join(root, "dangling"))
	return append(out, root, filepath.Join(root, "sub"), filepath.Join(root, "link"), filepath.Join(root, "dangling"),
		filepath.Join(root, "missing"), filepath.Join(root, "a.txt/x"), "", "bad\x00name", out[0])
}

func TestLstatAllStatAllMatchOS(t *testing.T) {
	names := batchNames(t)
	root := filepath.Dir(names[0])
	for cfg, s := range loops(t) {
		t.Run(cfg, func(t *testing.T) {
			for _, c := range []struct {
				name  string
				batch func([]string) ([]fs.FileInfo, []error)
				one   func(string) (fs.FileInfo, error)
			}{{"LstatAll", s.LstatAll, os.Lstat}, {"StatAll", s.StatAll, os.Stat}} {
				infos, errs := c.batch(names)
				var got, want []any
				for i, n := range names {
					wi, we := c.one(n)
					want = append(want, normInfo(wi), normErr(root, we))
					got = append(got, normInfo(infos[i]), normErr(root, errs[i]))
				}
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s: (-os +uringos):\n%s", c.name, diff)
				}
			}
		})
	}
}

func TestReadFilesOpenAllMatchOS(t *testing.T) {
	names := batchNames(t)
	names = append(names, "/proc/self/status", "/proc/self/limits")
	root := filepath.Dir(names[0])
	for cfg, s := range loops(t) {
		t.Run(cfg, func(t *testing.T) {
			data, errs := s.ReadFiles(names)
			files, ferrs := s.OpenAll(names, os.O_RDONLY, 0)
			var got, want []any
			for i, n := range names {
				wd, we := os.ReadFile(n)
				f, fe := os.Open(n)
				if fe == nil {
					f.Close()
				}
				if filepath.Dir(n) == "/proc/self" { // contents change from read to read
					wd, data[i] = wd[:0], data[i][:0]
				}
				want = append(want, string(wd), normErr(root, we), normErr(root, fe))
				got = append(got, string(data[i]), normErr(root, errs[i]), normErr(root, ferrs[i]))
				if files[i] != nil {
					if err := files[i].Close(); err != nil {
						t.Errorf("Close %s: %v", n, err)
					}
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-os +uringos):\n%s", diff)
			}
		})
	}
}

// TestStatFieldsMatchOS compares everything os.Stat reports about one
// file with uringos.Stat's view of the same file, including the times
// and the inode.
func TestStatFieldsMatchOS(t *testing.T) {
	root, _ := tree(t)
	for _, n := range []string{"a.txt", "sub", "sub/deep/c.bin", "."} {
		p := filepath.Join(root, n)
		want, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		got, err := uringos.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		type all struct {
			Name  string
			Size  int64
			Mode  fs.FileMode
			MTime int64
			Dir   bool
		}
		w := all{want.Name(), want.Size(), want.Mode(), want.ModTime().UnixNano(), want.IsDir()}
		g := all{got.Name(), got.Size(), got.Mode(), got.ModTime().UnixNano(), got.IsDir()}
		if diff := cmp.Diff(w, g); diff != "" {
			t.Errorf("%s: (-os +uringos):\n%s", n, diff)
		}
		again, _ := uringos.Lstat(p)
		if !uringos.SameFile(got, again) {
			t.Errorf("%s: SameFile(Stat, Lstat) = false", n)
		}
		if other, _ := uringos.Stat(filepath.Join(root, "a.txt")); n != "a.txt" && uringos.SameFile(got, other) {
			t.Errorf("%s: SameFile with a.txt = true", n)
		}
	}
}

// dirfdNames is a batch in which every kind of name comes in families of
// more than parentMin names under one parent, so that the parent is
// opened and the names are statted relative to it: files, symlinks to
// files and to directories, dangling symlinks, missing names in the
// middle, "." and "..", parents reached through ".." and through a
// symlink, parents that are missing, dangling or a file, doubled and
// trailing slashes. Relative names are relative to root, the test's
// working directory.
func dirfdNames(t *testing.T) (root string, names []string) {
	t.Helper()
	root = t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "d", "sub"), 0o755))
	for i := range 10 {
		must(os.WriteFile(filepath.Join(root, "d", fmt.Sprintf("f%d", i)), make([]byte, i), 0o644))
		must(os.WriteFile(filepath.Join(root, "d", "sub", fmt.Sprintf("s%d", i)), make([]byte, 10+i), 0o644))
	}
	must(os.Symlink("f1", filepath.Join(root, "d", "ln")))
	must(os.Symlink("nope", filepath.Join(root, "d", "dl")))
	must(os.Symlink("sub", filepath.Join(root, "d", "dirln")))
	must(os.Symlink("d/sub", filepath.Join(root, "sublink")))
	must(os.Symlink("nowhere", filepath.Join(root, "dangdir")))
	family := func(parent string, bases ...string) {
		for _, b := range bases {
			names = append(names, parent+"/"+b)
		}
	}
	var fs, ss, xs []string
	for i := range 10 {
		fs = append(fs, fmt.Sprintf("f%d", i))
		ss = append(ss, fmt.Sprintf("s%d", i))
		xs = append(xs, fmt.Sprintf("x%d", i))
	}
	for _, base := range []string{root, "."} { // absolute and relative
		d := filepath.Join(base, "d")
		if base == "." {
			d = "d"
		}
		family(d, fs[:5]...)
		family(d, "ln", "missing", "dl", "dirln", ".", "..", "f0/x", "sub")
		family(d, fs[5:]...)
		family(d+"/../d", fs...)
		family(d+"/sub/..", fs...)
		family(d+"/dirln", ss...)
		family(d+"/dirln/..", fs...)
		family(base+"/sublink", ss...)
		family(base+"/sublink/..", fs...)
		family(base+"/nodir", xs...)
		family(base+"/dangdir", xs...)
		family(d+"/f0", xs...)
		family(d+"/", fs...)
		family(d+"//sub", ss...)
		family(d, "f1/", "sub/", "dirln/", "ln/", "dl/", "missing/")
	}
	return root, append(names, "d/f0", "./d/f1", "d", ".", "..", "/", "/.", root+"/d/sub/s1")
}

// Names statted relative to their opened parent directory give exactly
// what os gives for the whole path: the FileInfo, the file's identity
// and the error, on the stat ring and through the Loop.
func TestLstatAllStatAllRelativeToParentMatchOS(t *testing.T) {
	root, names := dirfdNames(t)
	t.Chdir(root)
	s, err := uringos.Default()
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		Info infoOut
		ID   uringos.FileID
		Err  any
	}
	res := func(fi fs.FileInfo, err error) result {
		var id uringos.FileID
		if fi != nil {
			id, _ = uringos.FileIDOf(fi)
		}
		return result{normInfo(fi), id, normErr(root, err)}
	}
	check := func(t *testing.T) {
		for _, c := range []struct {
			name  string
			batch func([]string) ([]fs.FileInfo, []error)
			one   func(string) (fs.FileInfo, error)
		}{{"LstatAll", s.LstatAll, os.Lstat}, {"StatAll", s.StatAll, os.Stat}} {
			infos, errs := c.batch(names)
			for i, n := range names {
				want, got := res(c.one(n)), res(infos[i], errs[i])
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s(%q): (-os +uringos):\n%s", c.name, n, diff)
				}
			}
		}
	}
	// Chunks of 13 and 100 names cut the families, so a parent is opened
	// by two batches, or has too few names in one to be opened.
	for _, chunk := range []int{0, 13, 100} {
		t.Run(fmt.Sprintf("chunk=%d", chunk), func(t *testing.T) {
			if chunk > 0 {
				defer uringos.SetStatChunk(chunk)()
			}
			t.Run("ring", check)
			t.Run("loop", func(t *testing.T) {
				defer uringos.StatThroughLoop()()
				check(t)
			})
		})
	}
}

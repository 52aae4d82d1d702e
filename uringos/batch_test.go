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

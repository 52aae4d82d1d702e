package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// walkTotal is the reference: filepath.WalkDir with os.Lstat, each inode
// counted once.
func walkTotal(t *testing.T, root string) int64 {
	t.Helper()
	seen := map[[2]uint64]bool{}
	var total int64
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		st := fi.Sys().(*syscall.Stat_t)
		id := [2]uint64{uint64(st.Dev), uint64(st.Ino)}
		if !seen[id] {
			seen[id] = true
			total += fi.Size()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return total
}

// makeTree builds a tree with nested and empty directories, files of many
// sizes, symbolic links (to a file, to a directory, dangling) and hard
// links.
func makeTree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for d := range 12 {
		dir := filepath.Join(root, fmt.Sprintf("d%d", d), fmt.Sprintf("sub%d", d%3))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for f := range 40 {
			os.WriteFile(filepath.Join(dir, fmt.Sprintf("f%d", f)), bytes.Repeat([]byte("x"), d*1000+f*37), 0o644)
		}
	}
	os.MkdirAll(filepath.Join(root, "empty", "deeper"), 0o755)
	os.Symlink("d1", filepath.Join(root, "link-to-dir"))
	os.Symlink("nowhere/at/all", filepath.Join(root, "dangling"))
	os.Link(filepath.Join(root, "d5/sub2/f3"), filepath.Join(root, "hard1"))
	os.Link(filepath.Join(root, "d5/sub2/f3"), filepath.Join(root, "d0/hard2"))
	return root
}

func TestDuMatchesWalkAndCoreutils(t *testing.T) {
	root := makeTree(t)
	want := walkTotal(t, root)
	var out, errOut bytes.Buffer
	if st := run([]string{root, root + "/d3/"}, &out, &errOut); st != 0 || errOut.Len() != 0 {
		t.Fatalf("status %d, stderr %q", st, errOut.String())
	}
	wantOut := fmt.Sprintf("%d\t%s\n%d\t%s\n", want, root, walkTotal(t, root+"/d3"), root+"/d3/")
	if out.String() != wantOut {
		t.Errorf("du printed %q, want %q (WalkDir + os.Lstat)", out.String(), wantOut)
	}
	if _, err := exec.LookPath("du"); err != nil {
		t.Logf("no du in PATH: compared with WalkDir only")
		return
	}
	cu, err := exec.Command("du", "-sb", root).Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.SplitN(out.String(), "\n", 2)[0] + "\n"; got != string(cu) {
		t.Errorf("du printed %q, du -sb printed %q", got, cu)
	}
}

func TestDuErrors(t *testing.T) {
	root := makeTree(t)
	var out, errOut bytes.Buffer
	missing := filepath.Join(root, "missing")
	if st := run([]string{missing, root + "/d0/sub0/f1"}, &out, &errOut); st != 1 {
		t.Errorf("status %d, want 1", st)
	}
	if want := "du: lstat " + missing + ": no such file or directory\n"; errOut.String() != want {
		t.Errorf("stderr %q, want %q", errOut.String(), want)
	}
	if want := fmt.Sprintf("37\t%s\n", root+"/d0/sub0/f1"); out.String() != want {
		t.Errorf("stdout %q, want %q", out.String(), want)
	}
}

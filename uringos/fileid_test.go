package uringos_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/uringos"
)

// FileIDOf gives the same identity for a uringos and an os FileInfo of
// one file, and false (no panic) for nil and for a FileInfo with no
// identity.
func TestFileIDOf(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	ufi, err := uringos.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	ofi, err := os.Lstat(p)
	if err != nil {
		t.Fatal(err)
	}
	type got struct {
		ID uringos.FileID
		OK bool
	}
	id := func(fi fs.FileInfo) got {
		i, ok := uringos.FileIDOf(fi)
		return got{i, ok}
	}
	u, o := id(ufi), id(ofi)
	if !u.OK || u.ID.Ino == 0 {
		t.Fatalf("FileIDOf(uringos FileInfo) = %+v, want an identity", u)
	}
	if diff := cmp.Diff(o, u); diff != "" {
		t.Errorf("uringos vs os identity (-os +uringos):\n%s", diff)
	}
	if diff := cmp.Diff(got{}, id(nil)); diff != "" {
		t.Errorf("FileIDOf(nil) (-want +got):\n%s", diff)
	}
	entries, err := fs.ReadDir(os.DirFS(filepath.Dir(p)), ".")
	if err != nil {
		t.Fatal(err)
	}
	var none fs.FileInfo = noSys{entries[0]}
	if diff := cmp.Diff(got{}, id(none)); diff != "" {
		t.Errorf("FileIDOf(FileInfo without Sys) (-want +got):\n%s", diff)
	}
}

// noSys is a FileInfo whose Sys is nil.
type noSys struct{ fs.DirEntry }

func (n noSys) Size() int64        { return 0 }
func (n noSys) Mode() fs.FileMode  { return n.Type() }
func (n noSys) ModTime() time.Time { return time.Time{} }
func (n noSys) Sys() any           { return nil }

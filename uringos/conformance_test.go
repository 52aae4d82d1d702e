package uringos_test

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/uringkit/uring/ring"
	"github.com/uringkit/uring/uringos"
)

// The conformance tests run one script of calls on package os and on
// package uringos, each in its own fresh directory, and compare every
// result and every error (type, Op, paths, and the errno inside).

// file is the *os.File API that *uringos.File also has.
type file interface {
	io.Reader
	io.ReaderAt
	io.Writer
	io.WriterAt
	io.Seeker
	io.Closer
	io.WriterTo
	io.ReaderFrom
	WriteString(string) (int, error)
	Stat() (fs.FileInfo, error)
	Sync() error
	Truncate(int64) error
	Chmod(fs.FileMode) error
	Name() string
	Fd() uintptr
	ReadDir(int) ([]fs.DirEntry, error)
	Readdirnames(int) ([]string, error)
	Readdir(int) ([]fs.FileInfo, error)
}

// fsys is the path API of os, or of a uringos.Sys.
type fsys struct {
	OpenFile  func(string, int, fs.FileMode) (file, error)
	Stat      func(string) (fs.FileInfo, error)
	Lstat     func(string) (fs.FileInfo, error)
	Mkdir     func(string, fs.FileMode) error
	MkdirAll  func(string, fs.FileMode) error
	Remove    func(string) error
	Rename    func(string, string) error
	Link      func(string, string) error
	Symlink   func(string, string) error
	ReadFile  func(string) ([]byte, error)
	WriteFile func(string, []byte, fs.FileMode) error
	Truncate  func(string, int64) error
	Chtimes   func(string, time.Time, time.Time) error
}

func osFS() fsys {
	return fsys{
		OpenFile: func(n string, f int, p fs.FileMode) (file, error) {
			fl, err := os.OpenFile(n, f, p)
			if err != nil {
				return nil, err
			}
			return fl, nil
		},
		Stat: os.Stat, Lstat: os.Lstat, Mkdir: os.Mkdir, MkdirAll: os.MkdirAll, Remove: os.Remove,
		Rename: os.Rename, Link: os.Link, Symlink: os.Symlink, ReadFile: os.ReadFile,
		WriteFile: os.WriteFile, Truncate: os.Truncate, Chtimes: os.Chtimes,
	}
}

func uringFS(s *uringos.Sys) fsys {
	return fsys{
		OpenFile: func(n string, f int, p fs.FileMode) (file, error) {
			fl, err := s.OpenFile(n, f, p)
			if err != nil {
				return nil, err
			}
			return fl, nil
		},
		Stat: s.Stat, Lstat: s.Lstat, Mkdir: s.Mkdir, MkdirAll: s.MkdirAll, Remove: s.Remove,
		Rename: s.Rename, Link: s.Link, Symlink: s.Symlink, ReadFile: s.ReadFile,
		WriteFile: s.WriteFile, Truncate: s.Truncate, Chtimes: s.Chtimes,
	}
}

// env is one run of a script: the API under test, its root, open files.
type env struct {
	fs    fsys
	root  string
	files map[string]file
}

func (e *env) p(name string) string { return e.root + "/" + name }

// step is one call (or a few) whose results are compared.
type step struct {
	name string
	do   func(e *env) []any
}

// outcome is a step's normalised results.
type outcome struct {
	Step string
	Out  []any
}

// errOut is an error, normalised: its type, Op, paths relative to the
// root, and the errno (or, for os's own errors, the text).
type errOut struct {
	Type, Op, Path, New string
	Errno               syscall.Errno
	Text                string
}

type infoOut struct {
	Name  string
	Size  int64
	Mode  fs.FileMode
	IsDir bool
}

type entOut struct {
	Name  string
	Type  fs.FileMode
	IsDir bool
	Info  infoOut
}

func normErr(root string, err error) any {
	if err == nil {
		return nil
	}
	rel := func(p string) string { return strings.ReplaceAll(p, root, "$ROOT") }
	inner := func(e error) (syscall.Errno, string) {
		var en syscall.Errno
		if errors.As(e, &en) {
			return en, ""
		}
		return 0, e.Error()
	}
	var pe *fs.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		en, text := inner(pe.Err)
		return errOut{Type: "PathError", Op: pe.Op, Path: rel(pe.Path), Errno: en, Text: text}
	case errors.As(err, &le):
		en, text := inner(le.Err)
		return errOut{Type: "LinkError", Op: le.Op, Path: rel(le.Old), New: rel(le.New), Errno: en, Text: text}
	}
	en, text := inner(err)
	return errOut{Type: "plain", Errno: en, Text: text}
}

func normInfo(fi fs.FileInfo) infoOut {
	if fi == nil {
		return infoOut{}
	}
	out := infoOut{Name: fi.Name(), Size: fi.Size(), Mode: fi.Mode(), IsDir: fi.IsDir()}
	if fi.IsDir() {
		out.Size = -1 // a directory's size depends on its history in the file system
	}
	return out
}

// norm turns a result into a comparable value.
func norm(root string, v any) any {
	switch v := v.(type) {
	case error:
		return normErr(root, v)
	case fs.FileInfo:
		return normInfo(v)
	case []fs.FileInfo:
		out := make([]infoOut, len(v))
		for i, fi := range v {
			out[i] = normInfo(fi)
		}
		slices.SortFunc(out, func(a, b infoOut) int { return strings.Compare(a.Name, b.Name) })
		return out
	case []fs.DirEntry:
		out := make([]entOut, len(v))
		for i, d := range v {
			fi, err := d.Info()
			if err != nil {
				fi = nil
			}
			out[i] = entOut{Name: d.Name(), Type: d.Type(), IsDir: d.IsDir(), Info: normInfo(fi)}
		}
		slices.SortFunc(out, func(a, b entOut) int { return strings.Compare(a.Name, b.Name) })
		return out
	case []string:
		s := slices.Clone(v)
		slices.Sort(s)
		return s
	case []byte:
		return string(v)
	}
	return v
}

func runScript(t *testing.T, api fsys, steps []step) []outcome {
	t.Helper()
	e := &env{fs: api, root: t.TempDir(), files: map[string]file{}}
	defer func() {
		for _, f := range e.files {
			f.Close()
		}
	}()
	var out []outcome
	for _, s := range steps {
		res := s.do(e)
		o := outcome{Step: s.name}
		for _, r := range res {
			o.Out = append(o.Out, norm(e.root, r))
		}
		out = append(out, o)
	}
	return out
}

// compare runs steps on os and on s and fails on any difference.
func compare(t *testing.T, s *uringos.Sys, steps []step) {
	t.Helper()
	want := runScript(t, osFS(), steps)
	got := runScript(t, uringFS(s), steps)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("uringos differs from os (-os +uringos):\n%s", diff)
	}
}

// loops are the Loop configurations the conformance scripts run on.
func loops(t *testing.T) map[string]*uringos.Sys {
	t.Helper()
	out := map[string]*uringos.Sys{}
	def, err := uringos.Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	out["default"] = def
	configs := map[string][]ring.LoopOption{
		"owner":  {ring.WithMode(ring.ModeOwner)},
		"shared": {ring.WithMode(ring.ModeShared)},
		"sqpoll": {ring.WithLoopSQPoll(10 * time.Millisecond)},
		"tiny":   {ring.WithEntries(4), ring.WithLoopCQSize(8)},
		"rings2": {ring.WithRings(2)},
	}
	for name, opts := range configs {
		l, err := ring.NewLoop(opts...)
		if err != nil {
			t.Fatalf("NewLoop(%s): %v", name, err)
		}
		t.Cleanup(func() { l.Close() })
		out[name] = uringos.On(l)
	}
	return out
}

// ret packs results.
func ret(v ...any) []any { return v }

// pattern is n bytes of reproducible noise.
func pattern(n int, seed uint64) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// pathSteps exercises the path functions, success and failure.
var pathSteps = []step{
	{"WriteFile a", func(e *env) []any { return ret(e.fs.WriteFile(e.p("a"), []byte("hello\n"), 0o640)) }},
	{"ReadFile a", func(e *env) []any { return ret(e.fs.ReadFile(e.p("a"))) }},
	{"ReadFile missing", func(e *env) []any { return ret(e.fs.ReadFile(e.p("missing"))) }},
	{"ReadFile dir", func(e *env) []any { return ret(e.fs.ReadFile(e.root)) }},
	{"ReadFile NUL", func(e *env) []any { return ret(e.fs.ReadFile(e.p("a\x00b"))) }},
	{"ReadFile /proc", func(e *env) []any {
		b, err := e.fs.ReadFile("/proc/self/limits") // size 0 in statx, content on read
		return ret(len(b) > 0, err)
	}},
	{"Stat a", func(e *env) []any { return ret(e.fs.Stat(e.p("a"))) }},
	{"Lstat a", func(e *env) []any { return ret(e.fs.Lstat(e.p("a"))) }},
	{"Stat missing", func(e *env) []any { return ret(e.fs.Stat(e.p("missing"))) }},
	{"Stat a/x", func(e *env) []any { return ret(e.fs.Stat(e.p("a/x"))) }},
	{"Stat empty", func(e *env) []any { return ret(e.fs.Stat("")) }},
	{"Mkdir d", func(e *env) []any { return ret(e.fs.Mkdir(e.p("d"), 0o750)) }},
	{"Mkdir d again", func(e *env) []any { return ret(e.fs.Mkdir(e.p("d"), 0o750)) }},
	{"Mkdir missing/x", func(e *env) []any { return ret(e.fs.Mkdir(e.p("missing/x"), 0o750)) }},
	{"Mkdir a/x", func(e *env) []any { return ret(e.fs.Mkdir(e.p("a/x"), 0o750)) }},
	{"MkdirAll d/e/f", func(e *env) []any { return ret(e.fs.MkdirAll(e.p("d/e/f"), 0o755)) }},
	{"MkdirAll d/e/f again", func(e *env) []any { return ret(e.fs.MkdirAll(e.p("d/e/f/"), 0o755)) }},
	{"MkdirAll a/x/y", func(e *env) []any { return ret(e.fs.MkdirAll(e.p("a/x/y"), 0o755)) }},
	{"MkdirAll a", func(e *env) []any { return ret(e.fs.MkdirAll(e.p("a"), 0o755)) }},
	{"MkdirAll d/./g/.", func(e *env) []any { return ret(e.fs.MkdirAll(e.p("d/./g/."), 0o755)) }},
	{"Stat d/e", func(e *env) []any { return ret(e.fs.Stat(e.p("d/e"))) }},
	{"Symlink a l", func(e *env) []any { return ret(e.fs.Symlink("a", e.p("l"))) }},
	{"Symlink again", func(e *env) []any { return ret(e.fs.Symlink("a", e.p("l"))) }},
	{"Lstat l", func(e *env) []any { return ret(e.fs.Lstat(e.p("l"))) }},
	{"Stat l", func(e *env) []any { return ret(e.fs.Stat(e.p("l"))) }},
	{"Symlink dangling", func(e *env) []any { return ret(e.fs.Symlink("nowhere", e.p("dl"))) }},
	{"Stat dangling", func(e *env) []any { return ret(e.fs.Stat(e.p("dl"))) }},
	{"Lstat dangling", func(e *env) []any { return ret(e.fs.Lstat(e.p("dl"))) }},
	{"Link a h", func(e *env) []any { return ret(e.fs.Link(e.p("a"), e.p("h"))) }},
	{"Link missing", func(e *env) []any { return ret(e.fs.Link(e.p("missing"), e.p("h2"))) }},
	{"Link a a", func(e *env) []any { return ret(e.fs.Link(e.p("a"), e.p("a"))) }},
	{"Link dir", func(e *env) []any { return ret(e.fs.Link(e.p("d"), e.p("dlink"))) }},
	{"Rename a b", func(e *env) []any { return ret(e.fs.Rename(e.p("a"), e.p("b"))) }},
	{"Stat a after rename", func(e *env) []any { return ret(e.fs.Stat(e.p("a"))) }},
	{"ReadFile b", func(e *env) []any { return ret(e.fs.ReadFile(e.p("b"))) }},
	{"Rename missing", func(e *env) []any { return ret(e.fs.Rename(e.p("missing"), e.p("c"))) }},
	{"Rename file onto dir", func(e *env) []any { return ret(e.fs.Rename(e.p("b"), e.p("d"))) }},
	{"Rename missing onto dir", func(e *env) []any { return ret(e.fs.Rename(e.p("missing"), e.p("d"))) }},
	{"Rename dir onto itself", func(e *env) []any { return ret(e.fs.Rename(e.p("d"), e.p("d"))) }},
	{"Rename dir onto file", func(e *env) []any { return ret(e.fs.Rename(e.p("d/g"), e.p("b"))) }},
	{"Rename file onto file", func(e *env) []any { return ret(e.fs.Rename(e.p("h"), e.p("b"))) }},
	{"Truncate b 3", func(e *env) []any { return ret(e.fs.Truncate(e.p("b"), 3)) }},
	{"ReadFile b truncated", func(e *env) []any { return ret(e.fs.ReadFile(e.p("b"))) }},
	{"Truncate missing", func(e *env) []any { return ret(e.fs.Truncate(e.p("missing"), 3)) }},
	{"Chtimes b", func(e *env) []any {
		tm := time.Date(2020, 1, 2, 3, 4, 5, 6, time.UTC)
		err := e.fs.Chtimes(e.p("b"), tm, tm)
		fi, _ := e.fs.Stat(e.p("b"))
		return ret(err, fi.ModTime().UTC())
	}},
	{"Remove d (not empty)", func(e *env) []any { return ret(e.fs.Remove(e.p("d"))) }},
	{"Remove d/e/f", func(e *env) []any { return ret(e.fs.Remove(e.p("d/e/f"))) }},
	{"Remove b", func(e *env) []any { return ret(e.fs.Remove(e.p("b"))) }},
	{"Remove b again", func(e *env) []any { return ret(e.fs.Remove(e.p("b"))) }},
	{"Remove l", func(e *env) []any { return ret(e.fs.Remove(e.p("l"))) }},
	{"Remove file/x", func(e *env) []any { return ret(e.fs.Remove(e.p("dl/x"))) }},
	{"Symlink loop", func(e *env) []any {
		return ret(e.fs.Symlink("loop2", e.p("loop1")), e.fs.Symlink("loop1", e.p("loop2")))
	}},
	{"Stat loop", func(e *env) []any { return ret(e.fs.Stat(e.p("loop1"))) }},
	{"Lstat loop", func(e *env) []any { return ret(e.fs.Lstat(e.p("loop1"))) }},
	{"ReadFile loop", func(e *env) []any { return ret(e.fs.ReadFile(e.p("loop1"))) }},
	{"Stat long name", func(e *env) []any { return ret(e.fs.Stat(e.p(strings.Repeat("n", 300)))) }},
	{"Mkdir long name", func(e *env) []any { return ret(e.fs.Mkdir(e.p(strings.Repeat("n", 300)), 0o755)) }},
	{"Mkdir through symlink loop", func(e *env) []any { return ret(e.fs.MkdirAll(e.p("loop1/x/y"), 0o755)) }},
	{"Rename into own subdir", func(e *env) []any { return ret(e.fs.Rename(e.p("d"), e.p("d/e/inside"))) }},
	{"WriteFile into missing dir", func(e *env) []any { return ret(e.fs.WriteFile(e.p("missing/x"), nil, 0o644)) }},
	{"WriteFile dir", func(e *env) []any { return ret(e.fs.WriteFile(e.p("d"), nil, 0o644)) }},
}

func TestConformancePaths(t *testing.T) {
	for name, s := range loops(t) {
		t.Run(name, func(t *testing.T) { compare(t, s, pathSteps) })
	}
}

// fileSteps exercises a File: offsets, EOF rules, errors, Close.
var fileSteps = func() []step {
	big := pattern(3*uringos.ChunkSize+12345, 1) // several pipelined ops
	open := func(key, name string, flag int) step {
		return step{"OpenFile " + key, func(e *env) []any {
			f, err := e.fs.OpenFile(e.p(name), flag, 0o600)
			if err == nil {
				e.files[key] = f
			}
			return ret(err)
		}}
	}
	on := func(key, name string, fn func(f file) []any) step {
		return step{key + ": " + name, func(e *env) []any { return fn(e.files[key]) }}
	}
	buf := func(n int) []byte { return make([]byte, n) }
	read := func(f file, n int) []any {
		b := buf(n)
		k, err := f.Read(b)
		return ret(k, b[:k], err)
	}
	readAt := func(f file, n int, off int64) []any {
		b := buf(n)
		k, err := f.ReadAt(b, off)
		return ret(k, b[:k], err)
	}
	return []step{
		open("f", "f", os.O_RDWR|os.O_CREATE|os.O_EXCL),
		open("f-excl", "f", os.O_RDWR|os.O_CREATE|os.O_EXCL),
		on("f", "Write abc", func(f file) []any { return ret(f.Write([]byte("abcdef"))) }),
		on("f", "WriteString", func(f file) []any { return ret(f.WriteString("gh")) }),
		on("f", "Read at end", func(f file) []any { return read(f, 4) }),
		on("f", "Read empty", func(f file) []any { return read(f, 0) }),
		on("f", "Seek 0", func(f file) []any { return ret(f.Seek(0, io.SeekStart)) }),
		on("f", "Read 3", func(f file) []any { return read(f, 3) }),
		on("f", "Read 10", func(f file) []any { return read(f, 10) }),
		on("f", "Read EOF", func(f file) []any { return read(f, 10) }),
		on("f", "Seek cur -2", func(f file) []any { return ret(f.Seek(-2, io.SeekCurrent)) }),
		on("f", "Read 1", func(f file) []any { return read(f, 1) }),
		on("f", "Seek end", func(f file) []any { return ret(f.Seek(-1, io.SeekEnd)) }),
		on("f", "Seek negative", func(f file) []any { return ret(f.Seek(-100, io.SeekStart)) }),
		on("f", "Seek bad whence", func(f file) []any { return ret(f.Seek(0, 7)) }),
		on("f", "ReadAt 1", func(f file) []any { return readAt(f, 4, 1) }),
		on("f", "ReadAt short", func(f file) []any { return readAt(f, 10, 5) }),
		on("f", "ReadAt past end", func(f file) []any { return readAt(f, 10, 100) }),
		on("f", "ReadAt negative", func(f file) []any { return readAt(f, 1, -1) }),
		on("f", "WriteAt 10", func(f file) []any { return ret(f.WriteAt([]byte("XY"), 10)) }),
		on("f", "WriteAt negative", func(f file) []any { return ret(f.WriteAt([]byte("XY"), -1)) }),
		on("f", "Stat", func(f file) []any { return ret(f.Stat()) }),
		on("f", "ReadAt hole", func(f file) []any { return readAt(f, 12, 0) }),
		on("f", "Truncate 4", func(f file) []any { return ret(f.Truncate(4)) }),
		on("f", "Truncate negative", func(f file) []any { return ret(f.Truncate(-1)) }),
		on("f", "Sync", func(f file) []any { return ret(f.Sync()) }),
		on("f", "Chmod", func(f file) []any { return ret(f.Chmod(0o644)) }),
		on("f", "Stat after", func(f file) []any { return ret(f.Stat()) }),
		on("f", "Seek big", func(f file) []any { return ret(f.Seek(0, io.SeekStart)) }),
		on("f", "Write big", func(f file) []any { n, err := f.Write(big); return ret(n, err) }),
		on("f", "Seek after big", func(f file) []any { return ret(f.Seek(0, io.SeekCurrent)) }),
		on("f", "ReadAt big", func(f file) []any {
			b := buf(len(big) + 10)
			n, err := f.ReadAt(b, 0)
			return ret(n, bytes.Equal(b[:n], big), err)
		}),
		on("f", "ReadAt big middle", func(f file) []any {
			b := buf(2 * uringos.ChunkSize)
			n, err := f.ReadAt(b, 777)
			return ret(n, bytes.Equal(b[:n], big[777:777+n]), err)
		}),
		on("f", "Read big", func(f file) []any {
			f.Seek(5, io.SeekStart)
			b := buf(2*uringos.ChunkSize + 3)
			n, err := f.Read(b)
			pos, _ := f.Seek(0, io.SeekCurrent)
			return ret(n, bytes.Equal(b[:n], big[5:5+n]), err, pos)
		}),
		on("f", "WriteAt big", func(f file) []any {
			n, err := f.WriteAt(big[:2*uringos.ChunkSize+1], 100)
			pos, _ := f.Seek(0, io.SeekCurrent)
			return ret(n, err, pos)
		}),
		on("f", "WriteTo", func(f file) []any {
			f.Seek(1000, io.SeekStart)
			var w bytes.Buffer
			n, err := f.WriteTo(&w)
			return ret(n, err, len(w.Bytes()), bytes.Equal(w.Bytes()[len(w.Bytes())-5000:], big[len(big)-5000:]))
		}),
		on("f", "ReadFrom", func(f file) []any {
			f.Seek(10, io.SeekStart)
			n, err := f.ReadFrom(bytes.NewReader(big[:700_000]))
			pos, _ := f.Seek(0, io.SeekCurrent)
			return ret(n, err, pos)
		}),
		on("f", "Close", func(f file) []any { return ret(f.Close()) }),
		on("f", "Close again", func(f file) []any { return ret(f.Close()) }),
		on("f", "Read after Close", func(f file) []any { return read(f, 1) }),
		on("f", "Write after Close", func(f file) []any { return ret(f.Write([]byte("x"))) }),
		on("f", "Stat after Close", func(f file) []any { return ret(f.Stat()) }),
		step{"ReadFile f", func(e *env) []any {
			b, err := e.fs.ReadFile(e.p("f"))
			return ret(len(b), bytes.Equal(b[100:100+2*uringos.ChunkSize+1], big[:2*uringos.ChunkSize+1]), err)
		}},
		open("ro", "f", os.O_RDONLY),
		on("ro", "Write read-only", func(f file) []any { return ret(f.Write([]byte("x"))) }),
		on("ro", "WriteAt read-only", func(f file) []any { return ret(f.WriteAt([]byte("x"), 0)) }),
		on("ro", "Truncate read-only", func(f file) []any { return ret(f.Truncate(0)) }),
		on("ro", "ReadDir of a file", func(f file) []any { return ret(f.ReadDir(-1)) }),
		on("ro", "Close", func(f file) []any { return ret(f.Close()) }),
		open("wo", "f", os.O_WRONLY|os.O_TRUNC),
		on("wo", "Read write-only", func(f file) []any { return read(f, 1) }),
		on("wo", "Close", func(f file) []any { return ret(f.Close()) }),
		open("ap", "f", os.O_WRONLY|os.O_APPEND),
		on("ap", "Write append", func(f file) []any { return ret(f.Write([]byte("12345"))) }),
		on("ap", "Write append big", func(f file) []any { return ret(f.Write(big)) }),
		on("ap", "WriteAt append", func(f file) []any { return ret(f.WriteAt([]byte("x"), 0)) }),
		on("ap", "Seek append", func(f file) []any { return ret(f.Seek(0, io.SeekCurrent)) }),
		on("ap", "Close", func(f file) []any { return ret(f.Close()) }),
		step{"ReadFile appended", func(e *env) []any {
			b, err := e.fs.ReadFile(e.p("f"))
			return ret(len(b), bytes.Equal(b[5:], big), err)
		}},
		open("missing", "missing", os.O_RDONLY),
		open("missing-dir", "missing/x", os.O_RDWR|os.O_CREATE),
		step{"Mkdir dir", func(e *env) []any { return ret(e.fs.Mkdir(e.p("dir"), 0o755)) }},
		open("dir-write", "dir", os.O_WRONLY),
		step{"files in dir", func(e *env) []any {
			var errs []any
			for _, n := range []string{"z", "y", "x", "w", "v"} {
				errs = append(errs, e.fs.WriteFile(e.p("dir/"+n), []byte(n+n), 0o644))
			}
			errs = append(errs, e.fs.Mkdir(e.p("dir/sub"), 0o700), e.fs.Symlink("z", e.p("dir/link")))
			return errs
		}},
		open("dir", "dir", os.O_RDONLY),
		on("dir", "Read dir", func(f file) []any { return read(f, 10) }),
		on("dir", "ReadDir 3", func(f file) []any { d, err := f.ReadDir(3); return ret(len(d), err) }),
		on("dir", "ReadDir 3 more", func(f file) []any { d, err := f.ReadDir(3); return ret(len(d), err) }),
		on("dir", "ReadDir rest", func(f file) []any { d, err := f.ReadDir(3); return ret(len(d), err) }),
		on("dir", "ReadDir at end", func(f file) []any { return ret(f.ReadDir(3)) }),
		on("dir", "ReadDir -1 at end", func(f file) []any { return ret(f.ReadDir(-1)) }),
		on("dir", "Seek 0", func(f file) []any { return ret(f.Seek(0, io.SeekStart)) }),
		on("dir", "ReadDir all", func(f file) []any { return ret(f.ReadDir(-1)) }),
		on("dir", "Seek 0 again", func(f file) []any { return ret(f.Seek(0, io.SeekStart)) }),
		on("dir", "Readdirnames", func(f file) []any { return ret(f.Readdirnames(-1)) }),
		on("dir", "Seek 0 third", func(f file) []any { return ret(f.Seek(0, io.SeekStart)) }),
		on("dir", "Readdir", func(f file) []any { return ret(f.Readdir(0)) }),
		on("dir", "Readdirnames at end", func(f file) []any { return ret(f.Readdirnames(1)) }),
		on("dir", "Close", func(f file) []any { return ret(f.Close()) }),
	}
}()

func TestConformanceFile(t *testing.T) {
	for name, s := range loops(t) {
		t.Run(name, func(t *testing.T) { compare(t, s, fileSteps) })
	}
}

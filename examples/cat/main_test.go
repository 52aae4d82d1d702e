package main

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// capture runs cat with stdin from in and returns stdout, stderr and the
// status.
func capture(t *testing.T, args []string, in []byte) (string, string, int) {
	t.Helper()
	dir := t.TempDir()
	stdin, _ := os.Create(filepath.Join(dir, "stdin"))
	stdin.Write(in)
	stdin.Seek(0, 0)
	stdout, _ := os.Create(filepath.Join(dir, "stdout"))
	stderr, _ := os.Create(filepath.Join(dir, "stderr"))
	status := run(args, stdin, stdout, stderr)
	for _, f := range []*os.File{stdin, stdout, stderr} {
		f.Close()
	}
	o, _ := os.ReadFile(stdout.Name())
	e, _ := os.ReadFile(stderr.Name())
	return string(o), string(e), status
}

func TestCat(t *testing.T) {
	dir := t.TempDir()
	big := make([]byte, 3<<20+77) // several of WriteTo's pieces
	r := rand.New(rand.NewPCG(3, 4))
	for i := range big {
		big[i] = byte(r.Uint32())
	}
	files := map[string][]byte{"a": []byte("alpha\n"), "empty": nil, "big": big}
	for n, d := range files {
		os.WriteFile(filepath.Join(dir, n), d, 0o644)
	}
	p := func(n string) string { return filepath.Join(dir, n) }

	out, errOut, st := capture(t, []string{p("a"), p("empty"), p("big"), "-", p("a")}, []byte("from stdin\n"))
	want := "alpha\n" + string(big) + "from stdin\n" + "alpha\n"
	if out != want || errOut != "" || st != 0 {
		t.Errorf("cat: %d bytes (equal %v), stderr %q, status %d", len(out), out == want, errOut, st)
	}

	out, errOut, st = capture(t, nil, []byte("only stdin"))
	if out != "only stdin" || errOut != "" || st != 0 {
		t.Errorf("cat (stdin): %q, %q, %d", out, errOut, st)
	}

	out, errOut, st = capture(t, []string{p("missing"), p("a"), dir}, nil)
	wantErr := "cat: open " + p("missing") + ": no such file or directory\ncat: read " + dir + ": is a directory\n"
	if out != "alpha\n" || errOut != wantErr || st != 1 {
		t.Errorf("cat with errors: stdout %q, stderr %q (want %q), status %d", out, errOut, wantErr, st)
	}
	if !bytes.Equal(files["a"], []byte("alpha\n")) {
		t.Fatal("test data changed")
	}
}

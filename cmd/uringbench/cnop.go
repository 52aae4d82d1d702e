package main

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
)

// The C side of the nop workload: cnop/nop.c, embedded so that the
// comparison works from the repository (or the binary) alone, and compiled
// with the system's C compiler on first use.

//go:embed cnop/nop.c
var cnopSource []byte

var cnop struct {
	once sync.Once
	path string
	err  error
}

// cnopBinary compiles cnop/nop.c (once per source version; the binary is
// cached in the user cache directory) and returns its path, or a skip
// error when there is no working C compiler.
func cnopBinary() (string, error) {
	cnop.once.Do(func() { cnop.path, cnop.err = buildCnop() })
	return cnop.path, cnop.err
}

func buildCnop() (string, error) {
	cc := os.Getenv("CC")
	if cc == "" {
		cc = "cc"
	}
	ccPath, err := exec.LookPath(cc)
	if err != nil {
		return "", skip("no C compiler (%s) to build the C NOP baseline; install gcc or set CC", cc)
	}
	sum := sha256.Sum256(append([]byte(ccPath+"\x00"), cnopSource...))
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "uringbench")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "cnop-"+hex.EncodeToString(sum[:8]))
	if _, err := os.Stat(bin); err == nil {
		return bin, nil
	}
	src := bin + ".c"
	if err := os.WriteFile(src, cnopSource, 0o644); err != nil {
		return "", err
	}
	defer os.Remove(src)
	tmp := bin + ".tmp" + strconv.Itoa(os.Getpid())
	out, err := exec.Command(ccPath, "-O2", "-std=gnu11", "-o", tmp, src).CombinedOutput()
	if err != nil {
		os.Remove(tmp)
		return "", skip("%s could not build the C NOP baseline: %v: %s", cc, err, firstLine(out))
	}
	// Rename last, so that a concurrent uringbench never runs a half-written binary.
	if err := os.Rename(tmp, bin); err != nil {
		return "", err
	}
	return bin, nil
}

// runCnop runs the C NOP program and returns the ops and seconds it reports.
func runCnop(ops int64, batch int, setupFlags uint32) (int64, float64, error) {
	bin, err := cnopBinary()
	if err != nil {
		return 0, 0, err
	}
	cmd := exec.Command(bin, strconv.FormatInt(ops, 10), strconv.Itoa(batch), strconv.FormatUint(uint64(setupFlags), 10))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return 0, 0, fmt.Errorf("running the C NOP program: %v: %s", err, firstLine(stderr.Bytes()))
	}
	kv := map[string]string{}
	for _, f := range strings.Fields(string(out)) {
		if k, v, ok := strings.Cut(f, "="); ok {
			kv[k] = v
		}
	}
	n, err1 := strconv.ParseInt(kv["ops"], 10, 64)
	sec, err2 := strconv.ParseFloat(kv["seconds"], 64)
	if err1 != nil || err2 != nil || n != ops {
		return 0, 0, fmt.Errorf("unexpected output from the C NOP program: %q", out)
	}
	return n, sec, nil
}

func firstLine(b []byte) string {
	s, _, _ := strings.Cut(strings.TrimSpace(string(b)), "\n")
	return s
}

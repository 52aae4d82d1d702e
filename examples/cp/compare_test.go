package main

import (
	"bytes"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/uringkit/uring/ring"
)

// TestCompareCoreutils copies a 256 MiB file with this cp and with
// coreutils cp, interleaved, five times each, and logs the median times
// and their ratio; with -sync, coreutils cp is followed by sync(1) of the
// copy, since this cp ends with an fsync. It asserts only that every copy
// is byte-identical: timing is measured, never asserted. It runs when
// URING_CP_COMPARE=1:
//
//	URING_CP_COMPARE=1 go test -run CompareCoreutils -v ./examples/cp
func TestCompareCoreutils(t *testing.T) {
	if os.Getenv("URING_CP_COMPARE") != "1" {
		t.Skip("set URING_CP_COMPARE=1 to compare with coreutils cp on a 256 MiB file")
	}
	cpPath, err := exec.LookPath("cp")
	if err != nil {
		t.Skip("no cp in PATH")
	}
	syncPath, _ := exec.LookPath("sync")
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	data := make([]byte, 256<<20)
	rand.Read(data)
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	loop, err := ring.NewLoop(ring.WithEntries(64))
	if err != nil {
		t.Fatal(err)
	}
	defer loop.Close()
	var ours, theirs, theirsSync []time.Duration
	for range 5 {
		for _, side := range []string{"uring", "cp", "cp+sync"} {
			dst := filepath.Join(dir, "dst-"+side)
			os.Remove(dst)
			start := time.Now()
			switch side {
			case "uring":
				err = copyFile(loop, src, dst, 256<<10, 16, nil)
				ours = append(ours, time.Since(start))
			case "cp":
				err = exec.Command(cpPath, src, dst).Run()
				theirs = append(theirs, time.Since(start))
			case "cp+sync":
				if syncPath == "" {
					continue
				}
				if err = exec.Command(cpPath, src, dst).Run(); err == nil {
					err = exec.Command(syncPath, dst).Run()
				}
				theirsSync = append(theirsSync, time.Since(start))
			}
			if err != nil {
				t.Fatalf("%s: %v", side, err)
			}
			if got, _ := os.ReadFile(dst); !bytes.Equal(got, data) {
				t.Fatalf("%s: copy differs", side)
			}
		}
	}
	med := func(d []time.Duration) time.Duration {
		if len(d) == 0 {
			return 0
		}
		slices.Sort(d)
		return d[len(d)/2]
	}
	o, c, cs := med(ours), med(theirs), med(theirsSync)
	t.Logf("256 MiB, median of 5: uring cp %v, coreutils cp %v (uring speed %.2fx), cp+sync %v (%.2fx)",
		o, c, c.Seconds()/o.Seconds(), cs, cs.Seconds()/o.Seconds())
}

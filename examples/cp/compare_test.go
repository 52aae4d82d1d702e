package main

import (
	"bytes"
	"crypto/rand"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCompareCoreutils times this cp against coreutils cp on a 256 MiB
// file, running the built binary the way a user does (the time of
// `go build` left out), interleaved, URING_CP_REPS times each (default 7,
// at least 5), and logs the median [min..max] of each side's wall-clock
// and CPU (user + system) time and of the per-repetition speed ratios. On
// this shared machine the wall-clock times move with the other processes'
// load; the CPU times much less. The sides:
//
//   - uring: this cp as it runs by default (writeback during the copy,
//     fsync at the end: the copy is on the disk when it returns);
//   - cp: coreutils cp (copy_file_range(2) into the page cache, no fsync);
//   - cp+sync: coreutils cp, then sync(1) of the copy (fsync), the same
//     durability as uring;
//   - uring-nofsync: this cp with -fsync=false, the same durability as cp;
//   - uring-rw: this cp with -splice=false (read/write chains on registered
//     buffers instead of splice chains), fsync at the end.
//
// Every copy is checked byte for byte; timing is logged, never asserted.
// Before each run the previous copy is removed and sync(2) called (not
// timed), so no run pays for the writeback of another. It runs when
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
	syncPath, err := exec.LookPath("sync")
	if err != nil {
		t.Skip("no sync in PATH")
	}
	reps := 7
	if s := os.Getenv("URING_CP_REPS"); s != "" {
		if reps, err = strconv.Atoi(s); err != nil || reps < 5 {
			t.Fatalf("URING_CP_REPS=%q: want a number >= 5", s)
		}
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "uring-cp")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	src := filepath.Join(dir, "src")
	data := make([]byte, 256<<20)
	rand.Read(data)
	if err := os.WriteFile(src, data, 0o644); err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "dst")
	sides := []struct {
		name string
		cmds [][]string
	}{
		{"uring", [][]string{{bin, src, dst}}},
		{"cp", [][]string{{cpPath, src, dst}}},
		{"cp+sync", [][]string{{cpPath, src, dst}, {syncPath, dst}}},
		{"uring-nofsync", [][]string{{bin, "-fsync=false", src, dst}}},
		{"uring-rw", [][]string{{bin, "-splice=false", src, dst}}},
	}
	times := make([][]time.Duration, len(sides))
	cpu := make([][]time.Duration, len(sides)) // user + system time of the side's processes
	load := func() string {
		b, _ := os.ReadFile("/proc/loadavg")
		return strings.Join(strings.Fields(string(b))[:3], " ")
	}
	t.Logf("%s, load %s, %d interleaved repetitions", time.Now().UTC().Format("2006-01-02 15:04 MST"), load(), reps)
	for rep := range reps {
		for k := range sides {
			i := (rep + k) % len(sides) // rotate the order: no side always follows another
			os.Remove(dst)
			syscall.Sync()
			start := time.Now()
			var used time.Duration
			for _, c := range sides[i].cmds {
				cmd := exec.Command(c[0], c[1:]...)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("%s: %v: %v\n%s", sides[i].name, c, err, out)
				}
				used += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
			}
			times[i] = append(times[i], time.Since(start))
			cpu[i] = append(cpu[i], used)
			if got, err := os.ReadFile(dst); err != nil || !bytes.Equal(got, data) {
				t.Fatalf("%s: copy differs from the source (%d bytes, %v)", sides[i].name, len(got), err)
			}
		}
	}
	os.Remove(dst)
	t.Logf("done %s, load %s", time.Now().UTC().Format("15:04 MST"), load())
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
	for i, s := range sides {
		d := slices.Sorted(slices.Values(times[i]))
		c := slices.Sorted(slices.Values(cpu[i]))
		t.Logf("%-14s %7.1f ms [%.1f..%.1f], CPU %.1f ms [%.1f..%.1f]", s.name, ms(d[len(d)/2]), ms(d[0]), ms(d[len(d)-1]),
			ms(c[len(c)/2]), ms(c[0]), ms(c[len(c)-1]))
	}
	// ratio logs how many times faster a is than b: b's time over a's, per
	// repetition (the two ran within a second of each other).
	ratio := func(a, b int) {
		r := make([]float64, reps)
		for k := range reps {
			r[k] = times[b][k].Seconds() / times[a][k].Seconds()
		}
		slices.Sort(r)
		t.Logf("%-14s vs %-8s %.2fx [%.2f..%.2f] (>1: %s faster)", sides[a].name, sides[b].name, r[reps/2], r[0], r[reps-1], sides[a].name)
	}
	ratio(0, 1)
	ratio(0, 2)
	ratio(3, 1)
	ratio(4, 1)
	ratio(4, 0)
}

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// TestFallbackUnderSeccomp runs cat in a child process whose every thread
// gets ENOSYS from the io_uring system calls (a seccomp filter, as
// Docker's default profile does), and checks that it says so and still
// prints the file, through package os.
func TestFallbackUnderSeccomp(t *testing.T) {
	if os.Getenv("CAT_UNDER_SECCOMP") != "" {
		return // the child's copy of this test: see TestMain
	}
	dir := t.TempDir()
	name := filepath.Join(dir, "a")
	os.WriteFile(name, []byte("through package os\n"), 0o644)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "CAT_UNDER_SECCOMP="+name)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("child: %v\nstderr: %s", err, stderr.String())
	}
	if stdout.String() != "through package os\n" {
		t.Errorf("stdout %q", stdout.String())
	}
	want := "cat: using package os: io_uring unavailable"
	if !strings.HasPrefix(stderr.String(), want) || !strings.Contains(stderr.String(), "seccomp") ||
		!strings.Contains(stderr.String(), unix.ENOSYS.Error()) {
		t.Errorf("stderr %q, want it to start with %q and name seccomp and ENOSYS", stderr.String(), want)
	}
}

func TestMain(m *testing.M) {
	if name := os.Getenv("CAT_UNDER_SECCOMP"); name != "" {
		if err := denyIOUring(); err != nil {
			os.Stderr.WriteString("installing the seccomp filter: " + err.Error() + "\n")
			os.Exit(2)
		}
		os.Exit(run([]string{name}, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// denyIOUring makes io_uring_setup, io_uring_enter and io_uring_register
// fail with ENOSYS on every thread of the process (SECCOMP_FILTER_FLAG_TSYNC).
func denyIOUring() error {
	const (
		retErrno = 0x00050000 // SECCOMP_RET_ERRNO
		retAllow = 0x7fff0000 // SECCOMP_RET_ALLOW
	)
	filter := []unix.SockFilter{
		{Code: unix.BPF_LD | unix.BPF_W | unix.BPF_ABS, K: 0}, // seccomp_data.nr
		{Code: unix.BPF_JMP | unix.BPF_JGE | unix.BPF_K, K: unix.SYS_IO_URING_SETUP, Jt: 0, Jf: 2},
		{Code: unix.BPF_JMP | unix.BPF_JGT | unix.BPF_K, K: unix.SYS_IO_URING_REGISTER, Jt: 1, Jf: 0},
		{Code: unix.BPF_RET | unix.BPF_K, K: retErrno | uint32(unix.ENOSYS)},
		{Code: unix.BPF_RET | unix.BPF_K, K: retAllow},
	}
	prog := unix.SockFprog{Len: uint16(len(filter)), Filter: &filter[0]}
	if err := unix.Prctl(unix.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0); err != nil {
		return err
	}
	const setModeFilter, flagTsync = 1, 1 // SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC
	if _, _, e := unix.Syscall(unix.SYS_SECCOMP, setModeFilter, flagTsync, uintptr(unsafe.Pointer(&prog))); e != 0 {
		return e
	}
	return nil
}

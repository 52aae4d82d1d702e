package main

import (
	"fmt"
	"os"
	"os/exec"
	"testing"
)

// In the tests, the child processes of the default run are this test
// binary started again with URINGBENCH_CHILD=1, which TestMain turns into
// a plain uringbench run.
func TestMain(m *testing.M) {
	if os.Getenv("URINGBENCH_CHILD") == "1" {
		if err := run(os.Args[1:], os.Stdout, os.Stderr); err != nil {
			fmt.Fprintln(os.Stderr, "uringbench:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	selfCommand = func(args []string) (*exec.Cmd, error) {
		cmd := exec.Command(os.Args[0], args...)
		// The race detector makes every exiting process sleep a second
		// (atexit_sleep_ms) unless told otherwise.
		cmd.Env = append(os.Environ(), "URINGBENCH_CHILD=1", "GORACE="+os.Getenv("GORACE")+" atexit_sleep_ms=0")
		return cmd, nil
	}
	os.Exit(m.Run())
}

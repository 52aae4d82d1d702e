//go:build !linux

package ring

func newEventfd() (int, error) { return -1, ErrUnsupportedOS }
func ringEventfd(fd int)       {}
func closeEventfd(fd int)      {}

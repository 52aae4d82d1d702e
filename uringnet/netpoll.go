package uringnet

// pollDir is one direction's RecvNetpoll state: the attempt function is
// made once per conn, so a call allocates nothing. rmu (or wmu) guards it.
type pollDir struct {
	c    *Conn
	send bool
	p    []byte
	wc   waitCtx
	res  int32
	err  error
	try  func(uintptr) bool
}

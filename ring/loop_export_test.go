package ring

import "time"

// CompletionSeq tells tests in which order the Loop resolved requests.
func (r *Request) CompletionSeq() uint64 { return r.cseq }

// ForceWakeFallback makes the Loop's fatal-error wake-up skip
// IORING_REGISTER_SEND_MSG_RING and use its pre-6.13 path, a MSG_RING
// from a helper ring (loop_wake.go). It returns the function that undoes it.
func ForceWakeFallback() (restore func()) {
	sendMsgRing = func(int, int32, uint64, uint32) error { return ErrNotSupported }
	return func() { sendMsgRing = SendMsgRing }
}

// ShortCloseNotifWait makes Close give up on zero-copy NOTIFs after
// 100 ms instead of closeNotifWait.
func ShortCloseNotifWait() (restore func()) {
	old := closeNotifWait
	closeNotifWait = 100 * time.Millisecond
	return func() { closeNotifWait = old }
}

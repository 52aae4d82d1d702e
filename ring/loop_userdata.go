package ring

// UserData returns the user_data the Loop gave the Request's SQE at Submit
// (slot and generation). It identifies the request in the kernel from
// Submit until the terminal CQE, for operations that target another one:
// IORING_OP_ASYNC_CANCEL, TIMEOUT_REMOVE (and its update forms),
// POLL_REMOVE. After the terminal CQE the value may name another request.
func (r *Request) UserData() uint64 { return r.ud }

package ring

// CompletionSeq tells tests in which order the Loop resolved requests.
func (r *Request) CompletionSeq() uint64 { return r.cseq }

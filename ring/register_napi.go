package ring

import "unsafe"

// NAPI busy polling (IORING_REGISTER_NAPI, 6.9): while a task waits on the
// ring, the kernel busy-polls the network device queues (NAPI instances)
// of the sockets the ring serves instead of sleeping until an interrupt,
// trading CPU for receive latency. The NAPI ids are tracked dynamically
// (from the sockets' traffic) or statically (added by id, 6.13).

// RegisterNapi applies the NAPI settings n (IORING_REGISTER_NAPI, 6.9) and
// returns the settings that were in force before; the kernel writes those
// back into the argument. With n.Opcode = NapiRegisterOp, n.BusyPollTo is
// the busy-poll timeout in microseconds, n.PreferBusyPoll sets
// SO_PREFER_BUSY_POLL behaviour and n.OpParam the tracking strategy
// (NapiTrackingDynamic, NapiTrackingStatic); NapiStaticAddID and
// NapiStaticDelID add or remove the NAPI id in n.OpParam on a statically
// tracking ring. Not available on IOPOLL rings (EINVAL).
func (r *Ring) RegisterNapi(n Napi) (prev Napi, err error) {
	if err := r.register(RegisterNapi, unsafe.Pointer(&n), 1); err != nil {
		return Napi{}, err
	}
	return n, nil
}

// UnregisterNapi turns NAPI busy polling off (IORING_UNREGISTER_NAPI, 6.9)
// and returns the busy-poll timeout and prefer flag that were in force
// (6.18 does not report the tracking mode here; RegisterNapi does).
func (r *Ring) UnregisterNapi() (prev Napi, err error) {
	if err := r.register(UnregisterNapi, unsafe.Pointer(&prev), 1); err != nil {
		return Napi{}, err
	}
	return prev, nil
}

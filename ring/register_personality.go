package ring

// Personalities: credentials saved in the ring under an id, so that an SQE
// with that id in sqe.Personality runs with them instead of the
// submitter's (IORING_REGISTER_PERSONALITY, 5.6). A daemon can register
// its credentials once and keep using them after it switches identity.

// RegisterPersonality saves the calling thread's credentials in the ring
// (IORING_REGISTER_PERSONALITY, 5.6) and returns the id to put in
// SQE.Personality. Credentials are per thread on Linux: register from the
// thread whose identity you want. An SQE naming an id that is not
// registered completes with EINVAL.
func (r *Ring) RegisterPersonality() (uint16, error) {
	id, err := r.registerN(RegisterPersonality, nil, 0)
	return uint16(id), err
}

// UnregisterPersonality forgets personality id
// (IORING_UNREGISTER_PERSONALITY, 5.6); EINVAL if it is not registered.
func (r *Ring) UnregisterPersonality(id uint16) error {
	return r.register(UnregisterPersonality, nil, uint32(id))
}

package main

import (
	"fmt"
	"strings"

	"github.com/uringkit/uring/ring"
)

// setupFlagNames are the IORING_SETUP_* flags -setup accepts: those that
// change how the kernel runs completions but not how a submit-and-wait
// loop is written, so that the library and a C baseline can run the same
// loop with the same flags. (SQPOLL and IOPOLL change the loop itself.)
var setupFlagNames = map[string]ring.SetupFlags{
	"SINGLE_ISSUER": ring.SetupSingleIssuer,
	"DEFER_TASKRUN": ring.SetupDeferTaskrun,
	"COOP_TASKRUN":  ring.SetupCoopTaskrun,
	"TASKRUN_FLAG":  ring.SetupTaskrunFlag,
	"SUBMIT_ALL":    ring.SetupSubmitAll,
}

// parseSetup turns "A|B" (with or without the IORING_SETUP_ prefix, any
// case) into setup flags; "" and "none" mean none.
func parseSetup(s string) (ring.SetupFlags, error) {
	var f ring.SetupFlags
	if s == "" || strings.EqualFold(s, "none") {
		return 0, nil
	}
	for _, name := range strings.FieldsFunc(s, func(r rune) bool { return r == '|' || r == ',' }) {
		key := strings.TrimPrefix(strings.ToUpper(strings.TrimSpace(name)), "IORING_SETUP_")
		bit, ok := setupFlagNames[key]
		if !ok {
			return 0, fmt.Errorf("-setup: unknown or unsupported flag %q (have SINGLE_ISSUER, DEFER_TASKRUN, COOP_TASKRUN, TASKRUN_FLAG, SUBMIT_ALL)", name)
		}
		f |= bit
	}
	return f, nil
}

//go:build pprof

package main

import (
	"fmt"
	"os"
	"runtime/pprof"
	"runtime/trace"
)

// A build with -tags pprof (the first frame benchmark makes one when BYOVA_CPUPROFILE or
// BYOVA_TRACE is set) writes a CPU profile or an execution trace of the whole run, from
// before the first frame to the exit, so start-up can be profiled in the real terminal. The
// release build has neither hook.
func init() {
	var stops []func()
	if path := os.Getenv("BYOVA_CPUPROFILE"); path != "" {
		f, err := os.Create(path)
		if err == nil {
			err = pprof.StartCPUProfile(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "byova: BYOVA_CPUPROFILE:", err)
			os.Exit(2)
		}
		stops = append(stops, func() { pprof.StopCPUProfile(); f.Close() })
	}
	if path := os.Getenv("BYOVA_TRACE"); path != "" {
		f, err := os.Create(path)
		if err == nil {
			err = trace.Start(f)
		}
		if err != nil {
			fmt.Fprintln(os.Stderr, "byova: BYOVA_TRACE:", err)
			os.Exit(2)
		}
		stops = append(stops, func() { trace.Stop(); f.Close() })
	}
	stopProfile = func() {
		for _, stop := range stops {
			stop()
		}
	}
}

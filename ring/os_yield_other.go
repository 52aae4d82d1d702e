//go:build !linux

package ring

func osYield() {}

//go:build !race

package uringos_test

const raceEnabled = false

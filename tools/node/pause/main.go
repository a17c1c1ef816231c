// pause is the sandbox ("infra") container of every Pod on the local node: it
// holds the Pod's namespaces and does nothing else. Built statically so the
// image needs no base layer and no registry.
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	// As PID 1 of the Pod it must reap zombies left by processes that join the
	// Pod's PID namespace.
	signal.Notify(sigs, syscall.SIGCHLD)
	for s := range sigs {
		if s == syscall.SIGCHLD {
			for {
				pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
				if pid <= 0 || err != nil {
					break
				}
			}
			continue
		}
		os.Exit(0)
	}
}

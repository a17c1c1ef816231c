// probe is the test workload of the local node: a static program that needs no
// base image, so the node's tests depend on no registry and no other image.
//
//	probe exit CODE       print a line and exit with CODE (a Job's container)
//	probe serve ADDR      answer every HTTP request with "probe <hostname>"
//	probe resolve NAME    print NAME's addresses, through the Pod's resolv.conf
//	probe get URL         print the body of an HTTP GET
//	probe api             GET /version from the API server as the Pod's ServiceAccount
package main

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strconv"
	"time"
)

const saDir = "/var/run/secrets/kubernetes.io/serviceaccount"

func fail(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

func get(client *http.Client, req *http.Request) {
	resp, err := client.Do(req)
	if err != nil {
		fail("GET %s: %v", req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Printf("%d %s\n", resp.StatusCode, body)
	if resp.StatusCode != http.StatusOK {
		os.Exit(1)
	}
}

func main() {
	if len(os.Args) < 2 {
		fail("usage: probe exit CODE | serve ADDR | resolve NAME | get URL | api")
	}
	switch {
	case os.Args[1] == "exit" && len(os.Args) == 3:
		code, err := strconv.Atoi(os.Args[2])
		if err != nil {
			fail("probe exit: CODE must be a number")
		}
		fmt.Println("probe exiting with", code)
		os.Exit(code)
	case os.Args[1] == "serve" && len(os.Args) == 3:
		host, _ := os.Hostname()
		http.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprintf(w, "probe %s\n", host)
		})
		fmt.Println("probe serving on", os.Args[2])
		fail("%v", http.ListenAndServe(os.Args[2], nil))
	case os.Args[1] == "resolve" && len(os.Args) == 3:
		addrs, err := net.LookupHost(os.Args[2])
		if err != nil {
			fail("resolve %s: %v", os.Args[2], err)
		}
		fmt.Println(os.Args[2], addrs)
	case os.Args[1] == "get" && len(os.Args) == 3:
		req, err := http.NewRequest(http.MethodGet, os.Args[2], nil)
		if err != nil {
			fail("%v", err)
		}
		get(&http.Client{Timeout: 10 * time.Second}, req)
	case os.Args[1] == "api" && len(os.Args) == 2:
		// What client-go's in-cluster config does: the Service's environment
		// variables, the projected token and the cluster's CA.
		token, err := os.ReadFile(saDir + "/token")
		if err != nil {
			fail("no ServiceAccount token: %v", err)
		}
		ca, err := os.ReadFile(saDir + "/ca.crt")
		if err != nil {
			fail("no ca.crt: %v", err)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(ca)
		host := net.JoinHostPort(os.Getenv("KUBERNETES_SERVICE_HOST"), os.Getenv("KUBERNETES_SERVICE_PORT"))
		req, _ := http.NewRequest(http.MethodGet, "https://"+host+"/version", nil)
		req.Header.Set("Authorization", "Bearer "+string(token))
		client := &http.Client{Timeout: 10 * time.Second,
			Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
		get(client, req)
	default:
		fail("usage: probe exit CODE | serve ADDR | resolve NAME | get URL | api")
	}
}

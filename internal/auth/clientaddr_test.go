package auth

import (
	"net/http/httptest"
	"testing"
)

func TestClientAddr(t *testing.T) {
	proxies, err := ParseProxies(" 10.0.0.1, 172.16.0.0/12 ,::1")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, remote string
		xff          []string
		proxies      Proxies
		want         string
	}{
		{"no proxies: header ignored", "203.0.113.5:4000", []string{"1.2.3.4"}, nil, "203.0.113.5"},
		{"untrusted peer: header ignored", "203.0.113.5:4000", []string{"1.2.3.4"}, proxies, "203.0.113.5"},
		{"trusted peer", "10.0.0.1:4000", []string{"198.51.100.7"}, proxies, "198.51.100.7"},
		{"spoofed left entries ignored", "10.0.0.1:4000", []string{"1.1.1.1, 198.51.100.7"}, proxies, "198.51.100.7"},
		{"chain of trusted proxies", "10.0.0.1:4000", []string{"198.51.100.7, 172.20.0.3"}, proxies, "198.51.100.7"},
		{"several header lines", "10.0.0.1:4000", []string{"9.9.9.9", "198.51.100.7, 172.20.0.3"}, proxies, "198.51.100.7"},
		{"garbage stops at last vouched hop", "10.0.0.1:4000", []string{"198.51.100.7, nonsense, 172.20.0.3"}, proxies, "172.20.0.3"},
		{"only proxies", "10.0.0.1:4000", []string{"172.20.0.3"}, proxies, "172.20.0.3"},
		{"no header from proxy", "10.0.0.1:4000", nil, proxies, "10.0.0.1"},
		{"ipv6 loopback proxy", "[::1]:4000", []string{"2001:db8::5"}, proxies, "2001:db8::5"},
		{"mapped v4", "[::ffff:203.0.113.5]:1", nil, nil, "203.0.113.5"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/api/v1/login", nil)
			r.RemoteAddr = c.remote
			for _, v := range c.xff {
				r.Header.Add("X-Forwarded-For", v)
			}
			if got := c.proxies.ClientAddr(r); got != c.want {
				t.Fatalf("got %q, want %q", got, c.want)
			}
		})
	}
	for _, bad := range []string{"10.0.0.1/99", "nonsense", "10.0.0.300"} {
		if _, err := ParseProxies(bad); err == nil {
			t.Errorf("ParseProxies(%q) accepted", bad)
		}
	}
	if got := ThrottleKey("2001:db8:aa:bb:1:2:3:4"); got != "2001:db8:aa:bb::/64" {
		t.Errorf("ThrottleKey v6 = %q", got)
	}
	if got := ThrottleKey("203.0.113.5"); got != "203.0.113.5" {
		t.Errorf("ThrottleKey v4 = %q", got)
	}
}

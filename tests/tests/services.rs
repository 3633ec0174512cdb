//! Service cluster IPs and node ports, allocated in the store as
//! kube-apiserver 1.35 keeps them: an IPAddress object per address, a
//! RangeAllocation bitmap for node ports. Driven over HTTP and by kubectl.

use kubox_tests::{HttpResponse, Kubox};
use serde_json::{Value, json};

const SERVICES: &str = "/api/v1/namespaces/default/services";
const JSON: (&str, &str) = ("Content-Type", "application/json");

fn send(k: &Kubox, method: &str, path: &str, body: &Value) -> HttpResponse {
    k.request(method, path, &[JSON], body.to_string().as_bytes(), true)
}

fn service(name: &str, spec: Value) -> Value {
    let mut spec = spec;
    spec["ports"] = spec.get("ports").cloned().unwrap_or(json!([{"port": 80}]));
    json!({"apiVersion": "v1", "kind": "Service", "metadata": {"name": name}, "spec": spec})
}

fn ip_address(k: &Kubox, ip: &str) -> (u16, Value) {
    let r = k.request("GET", &format!("/apis/networking.k8s.io/v1/ipaddresses/{ip}"), &[], b"", true);
    (r.status, r.json())
}

#[test]
fn addresses_and_ports_are_stored_taken_once_and_released() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());

    // The kubernetes Service holds the first address, as an IPAddress.
    let (code, kubernetes) = ip_address(&k, "10.96.0.1");
    assert_eq!(code, 200, "{kubernetes}");
    assert_eq!(
        kubernetes["spec"]["parentRef"],
        json!({"resource": "services", "namespace": "default", "name": "kubernetes"})
    );

    // A NodePort Service gets an address and a port; both are recorded.
    let r = send(&k, "POST", SERVICES, &service("web", json!({"type": "NodePort"})));
    assert_eq!(r.status, 201, "{}", r.text());
    let web = r.json();
    let ip = web["spec"]["clusterIP"].as_str().unwrap().to_string();
    let port = web["spec"]["ports"][0]["nodePort"].as_u64().unwrap();
    assert!((30000..=32767).contains(&port), "{web}");
    assert_eq!(web["spec"]["clusterIPs"], json!([ip]));
    let (code, address) = ip_address(&k, &ip);
    assert_eq!(code, 200, "{address}");
    assert_eq!(address["metadata"]["labels"]["ipaddress.kubernetes.io/managed-by"], "ipallocator.k8s.io");
    assert_eq!(address["spec"]["parentRef"]["name"], "web");
    // Allocated values are not owned by the client's field manager.
    let managed = web["metadata"]["managedFields"].to_string();
    assert!(!managed.contains("f:clusterIP\"") && !managed.contains("f:nodePort"), "{managed}");

    // Taken values are refused with kube-apiserver's words.
    let r = send(&k, "POST", SERVICES, &service("same-ip", json!({"clusterIP": ip})));
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(
        r.text().contains(&format!("failed to allocate IP {ip}: provided IP is already allocated")),
        "{}",
        r.text()
    );
    let r = send(
        &k,
        "POST",
        SERVICES,
        &service("same-port", json!({"type": "NodePort", "ports": [{"port": 80, "nodePort": port}]})),
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("provided port is already allocated"), "{}", r.text());
    // The refused creates left nothing behind.
    let r = send(&k, "POST", SERVICES, &service("free", json!({"clusterIP": "10.96.0.77"})));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(ip_address(&k, "10.96.0.77").0, 200);

    // Back to ClusterIP releases the port; a LoadBalancer with the Local
    // policy gets ports and a health check port on update.
    let mut updated = web.clone();
    updated["spec"]["type"] = json!("ClusterIP");
    updated["spec"]["ports"][0].as_object_mut().unwrap().remove("nodePort");
    let r = send(&k, "PUT", &format!("{SERVICES}/web"), &updated);
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.json()["spec"]["ports"][0].get("nodePort").is_none(), "{}", r.text());
    let r = send(
        &k,
        "POST",
        SERVICES,
        &service("reuse", json!({"type": "NodePort", "ports": [{"port": 80, "nodePort": port}]})),
    );
    assert_eq!(r.status, 201, "the released port is free again: {}", r.text());
    let patch = json!({"spec": {"type": "LoadBalancer", "externalTrafficPolicy": "Local"}});
    let r = k.request(
        "PATCH",
        &format!("{SERVICES}/web"),
        &[("Content-Type", "application/merge-patch+json")],
        patch.to_string().as_bytes(),
        true,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let lb = r.json();
    assert!(lb["spec"]["ports"][0]["nodePort"].as_u64().is_some_and(|p| p != port), "{lb}");
    assert!(lb["spec"]["healthCheckNodePort"].as_u64().is_some(), "{lb}");
    assert_eq!(lb["spec"]["clusterIP"], ip.as_str(), "the address stays");

    // kubectl sees the IPAddresses.
    let out = k.kubectl(&["get", "ipaddresses", "-o", "name"]).ok();
    assert!(out.contains(&format!("ipaddress.networking.k8s.io/{ip}")), "{out}");

    // Deleting the Service frees its address and ports.
    let lb_port = lb["spec"]["ports"][0]["nodePort"].as_u64().unwrap();
    let r = k.request("DELETE", &format!("{SERVICES}/web"), &[], b"", true);
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(ip_address(&k, &ip).0, 404);
    let r = send(
        &k,
        "POST",
        SERVICES,
        &service("after", json!({"clusterIP": ip, "type": "NodePort", "ports": [{"port": 80, "nodePort": lb_port}]})),
    );
    assert_eq!(r.status, 201, "{}", r.text());

    // A dry run allocates nothing.
    let r = send(&k, "POST", &format!("{SERVICES}?dryRun=All"), &service("dry", json!({"clusterIP": "10.96.0.88"})));
    assert_eq!(r.status, 201, "{}", r.text());
    assert_eq!(ip_address(&k, "10.96.0.88").0, 404);

    // The allocations survive a restart (they are in the store).
    let k = {
        k.stop(libc::SIGTERM, std::time::Duration::from_secs(10));
        Kubox::start(dir.path())
    };
    let r = send(&k, "POST", SERVICES, &service("again", json!({"clusterIP": ip})));
    assert_eq!(r.status, 422, "{}", r.text());
}

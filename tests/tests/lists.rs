//! Paginated lists stay consistent whichever side serves a page: the watch
//! cache while nothing changed since the list's revision, the store at that
//! revision once something did.

use kubox_tests::Kubox;
use serde_json::{Value, json};

const CONFIGMAPS: &str = "/api/v1/namespaces/default/configmaps";

fn names(list: &Value) -> Vec<String> {
    list["items"].as_array().unwrap().iter().map(|o| o["metadata"]["name"].as_str().unwrap().to_string()).collect()
}

fn create(k: &Kubox, name: &str, labels: Value) {
    let body = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name, "labels": labels}});
    let r = k.request("POST", CONFIGMAPS, &[("Content-Type", "application/json")], body.to_string().as_bytes(), true);
    assert_eq!(r.status, 201, "{}", r.text());
}

fn get(k: &Kubox, query: &str) -> Value {
    let r = k.request("GET", &format!("{CONFIGMAPS}?{query}"), &[], b"", true);
    assert_eq!(r.status, 200, "{}", r.text());
    r.json()
}

#[test]
fn pages_are_one_snapshot_across_concurrent_writes() {
    let dir = tempfile::tempdir().unwrap();
    let k = Kubox::start(dir.path());
    let all: Vec<String> = (0..10).map(|i| format!("cm-{i:02}")).collect();
    for (i, name) in all.iter().enumerate() {
        create(&k, name, json!({"parity": if i % 2 == 0 { "even" } else { "odd" }}));
    }

    // Nothing changes: every page at the first page's revision.
    let first = get(&k, "limit=3");
    let rv = first["metadata"]["resourceVersion"].as_str().unwrap().to_string();
    assert_eq!(names(&first), all[..3]);
    assert_eq!(first["metadata"]["remainingItemCount"], 7);
    let mut seen = names(&first);
    let mut token = first["metadata"]["continue"].as_str().unwrap().to_string();
    // A write in the middle: later pages still show the list's revision.
    create(&k, "cm-05a", json!({}));
    loop {
        let page = get(&k, &format!("limit=3&continue={token}"));
        assert_eq!(page["metadata"]["resourceVersion"], rv.as_str(), "one revision for every page");
        seen.extend(names(&page));
        match page["metadata"]["continue"].as_str() {
            Some(t) if !t.is_empty() => token = t.to_string(),
            _ => {
                assert!(page["metadata"].get("remainingItemCount").is_none());
                break;
            }
        }
    }
    assert_eq!(seen, all, "the page set is the list at its revision, without the later create");

    // A new list sees the new object; a label selector filters pages.
    let now = get(&k, "limit=100");
    assert_eq!(names(&now).len(), 11);
    let mut odd = Vec::new();
    let mut query = "limit=2&labelSelector=parity%3Dodd".to_string();
    loop {
        let page = get(&k, &query);
        assert!(page["metadata"].get("remainingItemCount").is_none(), "not counted under a selector");
        odd.extend(names(&page));
        match page["metadata"]["continue"].as_str() {
            Some(t) if !t.is_empty() => query = format!("limit=2&labelSelector=parity%3Dodd&continue={t}"),
            _ => break,
        }
    }
    assert_eq!(odd, ["cm-01", "cm-03", "cm-05", "cm-07", "cm-09"]);

    // An exact list at the old revision is that snapshot, from the store.
    let exact = get(&k, &format!("resourceVersion={rv}&resourceVersionMatch=Exact"));
    assert_eq!(names(&exact), all);
}

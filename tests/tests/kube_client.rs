//! kube-rs (the `kube` crate) against the real kubox: typed and dynamic
//! CRUD with the errors it decodes, watches that resume from a
//! resourceVersion, a 410 for a start that fell out of the watch cache and
//! the relist that follows, bookmarks, streaming lists (sendInitialEvents),
//! the runtime watcher, and pagination through 5,000 objects.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use futures::{StreamExt, TryStreamExt};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::ConfigMap;
use kube::api::{
    Api, ApiResource, DeleteParams, DynamicObject, GroupVersionKind, ListParams, ObjectMeta, Patch, PatchParams,
    PostParams, WatchEvent, WatchParams,
};
use kube::runtime::watcher;
use kubox_tests::Kubox;

async fn client(kubox: &Kubox) -> kube::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let kubeconfig = kube::config::Kubeconfig::read_from(kubox.kubeconfig()).unwrap();
    let config =
        kube::Config::from_custom_kubeconfig(kubeconfig, &kube::config::KubeConfigOptions::default()).await.unwrap();
    kube::Client::try_from(config).unwrap()
}

fn cm(name: &str, data: &[(&str, &str)]) -> ConfigMap {
    ConfigMap {
        metadata: ObjectMeta { name: Some(name.into()), ..Default::default() },
        data: Some(data.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()),
        ..Default::default()
    }
}

fn api_error(e: kube::Error) -> kube::core::Status {
    match e {
        kube::Error::Api(s) => *s,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn typed_and_dynamic_crud() {
    let dir = tempfile::tempdir().unwrap();
    let kubox = Kubox::start(dir.path());
    let client = client(&kubox).await;
    let cms: Api<ConfigMap> = Api::namespaced(client.clone(), "default");

    let created = cms.create(&PostParams::default(), &cm("one", &[("a", "1")])).await.unwrap();
    let uid = created.metadata.uid.clone().unwrap();
    assert!(created.metadata.resource_version.is_some() && created.metadata.creation_timestamp.is_some());
    let err = api_error(cms.create(&PostParams::default(), &cm("one", &[])).await.unwrap_err());
    assert_eq!(
        (err.code, err.reason.as_str(), err.message.as_str()),
        (409, "AlreadyExists", "configmaps \"one\" already exists")
    );

    let mut got = cms.get("one").await.unwrap();
    assert_eq!(got.data.as_ref().unwrap()["a"], "1");
    got.data.as_mut().unwrap().insert("b".into(), "2".into());
    let replaced = cms.replace("one", &PostParams::default(), &got).await.unwrap();
    assert_eq!(replaced.metadata.uid.as_deref(), Some(uid.as_str()));
    assert_ne!(replaced.metadata.resource_version, got.metadata.resource_version);
    // The old resourceVersion is now stale.
    let err = api_error(cms.replace("one", &PostParams::default(), &got).await.unwrap_err());
    assert_eq!((err.code, err.reason.as_str()), (409, "Conflict"));

    let merged = cms
        .patch("one", &PatchParams::default(), &Patch::Merge(serde_json::json!({"data": {"c": "3", "a": null}})))
        .await
        .unwrap();
    assert_eq!(
        merged.data.unwrap(),
        BTreeMap::from([("b".to_string(), "2".to_string()), ("c".to_string(), "3".to_string())])
    );
    let strategic = cms
        .patch(
            "one",
            &PatchParams::default(),
            &Patch::Strategic(serde_json::json!({"metadata": {"labels": {"x": "y"}}})),
        )
        .await
        .unwrap();
    assert_eq!(strategic.metadata.labels.unwrap()["x"], "y");
    let json_patch: json_patch_4::Patch =
        serde_json::from_value(serde_json::json!([{"op": "add", "path": "/data/d", "value": "4"}])).unwrap();
    let patched = cms.patch("one", &PatchParams::default(), &Patch::Json::<()>(json_patch)).await.unwrap();
    assert_eq!(patched.data.unwrap()["d"], "4");

    let listed = cms.list(&ListParams::default()).await.unwrap();
    assert_eq!(listed.items.len(), 1);
    assert!(listed.metadata.resource_version.is_some());

    cms.delete("one", &DeleteParams::default()).await.unwrap();
    let err = api_error(cms.get("one").await.unwrap_err());
    assert_eq!(
        (err.code, err.reason.as_str(), err.message.as_str()),
        (404, "NotFound", "configmaps \"one\" not found")
    );

    // The same through the dynamic API.
    let gvk = GroupVersionKind::gvk("apps", "v1", "Deployment");
    let ar = ApiResource::from_gvk(&gvk);
    let dynamic: Api<DynamicObject> = Api::namespaced_with(client.clone(), "default", &ar);
    let obj: DynamicObject = serde_json::from_value(serde_json::json!({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "dyn"},
        "spec": {"selector": {"matchLabels": {"app": "dyn"}},
                 "template": {"metadata": {"labels": {"app": "dyn"}}, "spec": {"containers": [{"name": "c", "image": "nginx"}]}}}
    }))
    .unwrap();
    let made = dynamic.create(&PostParams::default(), &obj).await.unwrap();
    assert_eq!(made.data["spec"]["replicas"], 1, "defaulted");
    let typed: Api<Deployment> = Api::namespaced(client.clone(), "default");
    let d = typed.get("dyn").await.unwrap();
    assert_eq!(d.spec.unwrap().template.spec.unwrap().containers[0].image_pull_policy.as_deref(), Some("Always"));
    let scale = typed.get_scale("dyn").await.unwrap();
    assert_eq!(scale.spec.unwrap().replicas, Some(1));
    typed
        .patch_scale("dyn", &PatchParams::default(), &Patch::Merge(serde_json::json!({"spec": {"replicas": 4}})))
        .await
        .unwrap();
    assert_eq!(typed.get("dyn").await.unwrap().spec.unwrap().replicas, Some(4));
    // Invalid objects get the 422 with causes.
    let bad: DynamicObject = serde_json::from_value(serde_json::json!({
        "apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "Bad_Name"},
        "spec": {"selector": {"matchLabels": {"app": "x"}}, "template": {"metadata": {"labels": {"app": "y"}}, "spec": {"containers": [{"name": "c"}]}}}
    }))
    .unwrap();
    let err = api_error(dynamic.create(&PostParams::default(), &bad).await.unwrap_err());
    assert_eq!((err.code, err.reason.as_str()), (422, "Invalid"));
    assert!(err.message.starts_with("Deployment.apps \"Bad_Name\" is invalid: "), "{}", err.message);
    dynamic.delete("dyn", &DeleteParams::default()).await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn watches_resume_expire_and_bookmark() {
    let dir = tempfile::tempdir().unwrap();
    let kubox = Kubox::start(dir.path());
    let client = client(&kubox).await;
    let cms: Api<ConfigMap> = Api::namespaced(client.clone(), "default");

    let first = cms.create(&PostParams::default(), &cm("w0", &[])).await.unwrap();
    let rv = first.metadata.resource_version.clone().unwrap();
    for i in 1..=3 {
        cms.create(&PostParams::default(), &cm(&format!("w{i}"), &[])).await.unwrap();
    }
    // Resuming after w0's resourceVersion delivers exactly what came after.
    let mut stream = cms.watch(&WatchParams::default().timeout(5), &rv).await.unwrap().boxed();
    let mut names = Vec::new();
    while names.len() < 3 {
        match tokio::time::timeout(Duration::from_secs(10), stream.try_next()).await.unwrap().unwrap() {
            Some(WatchEvent::Added(o)) => names.push(o.metadata.name.unwrap()),
            Some(WatchEvent::Bookmark(_)) => {}
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(names, ["w1", "w2", "w3"]);

    // Push the first writes out of the watch cache's window (100 events).
    for i in 0..120 {
        cms.patch("w1", &PatchParams::default(), &Patch::Merge(serde_json::json!({"data": {"i": i.to_string()}})))
            .await
            .unwrap();
    }
    let mut stream = cms.watch(&WatchParams::default(), &rv).await.unwrap().boxed();
    match tokio::time::timeout(Duration::from_secs(10), stream.try_next()).await.unwrap().unwrap() {
        Some(WatchEvent::Error(e)) => {
            assert_eq!((e.code, e.reason.as_str()), (410, "Expired"));
            assert!(e.message.starts_with("too old resource version: "), "{}", e.message);
        }
        other => panic!("expected a 410, got {other:?}"),
    }
    // The client relists and watches from the list's resourceVersion.
    let list = cms.list(&ListParams::default()).await.unwrap();
    assert_eq!(list.items.len(), 4);
    let list_rv = list.metadata.resource_version.unwrap();
    let mut stream = cms.watch(&WatchParams::default(), &list_rv).await.unwrap().boxed();
    cms.create(&PostParams::default(), &cm("after-relist", &[])).await.unwrap();
    loop {
        match tokio::time::timeout(Duration::from_secs(10), stream.try_next()).await.unwrap().unwrap() {
            Some(WatchEvent::Added(o)) => {
                assert_eq!(o.metadata.name.as_deref(), Some("after-relist"));
                break;
            }
            Some(WatchEvent::Bookmark(_)) => {}
            other => panic!("unexpected {other:?}"),
        }
    }

    // Bookmarks: a watch that ends in 4 s gets one about 2 s before its end.
    let mut stream = cms.watch(&WatchParams::default().timeout(4), &list_rv).await.unwrap().boxed();
    let mut bookmark = None;
    while let Ok(Ok(Some(ev))) = tokio::time::timeout(Duration::from_secs(6), stream.try_next()).await {
        if let WatchEvent::Bookmark(b) = ev {
            bookmark = Some(b.metadata.resource_version);
        }
    }
    let bookmark: i64 = bookmark.expect("no bookmark before the watch ended").parse().unwrap();
    assert!(bookmark >= list_rv.parse::<i64>().unwrap());

    // Streaming lists: the current state, then the initial-events-end bookmark.
    let mut stream = cms.watch(&WatchParams::streaming_lists().timeout(5), "").await.unwrap().boxed();
    let mut initial = BTreeSet::new();
    loop {
        match tokio::time::timeout(Duration::from_secs(10), stream.try_next()).await.unwrap().unwrap() {
            Some(WatchEvent::Added(o)) => {
                initial.insert(o.metadata.name.unwrap());
            }
            Some(WatchEvent::Bookmark(b)) => {
                assert_eq!(b.metadata.annotations.get("k8s.io/initial-events-end").map(String::as_str), Some("true"));
                break;
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    assert_eq!(initial.len(), 5);

    // The runtime watcher (list then watch) sees the state and a change.
    let mut events = watcher(cms.clone(), watcher::Config::default()).boxed();
    let mut seen = BTreeSet::new();
    loop {
        match tokio::time::timeout(Duration::from_secs(10), events.try_next()).await.unwrap().unwrap() {
            Some(watcher::Event::InitApply(o)) => {
                seen.insert(o.metadata.name.unwrap());
            }
            Some(watcher::Event::InitDone) => break,
            Some(_) => {}
            None => panic!("watcher ended"),
        }
    }
    assert_eq!(seen, initial);
    cms.delete("w2", &DeleteParams::default()).await.unwrap();
    loop {
        match tokio::time::timeout(Duration::from_secs(10), events.try_next()).await.unwrap().unwrap() {
            Some(watcher::Event::Delete(o)) => {
                assert_eq!(o.metadata.name.as_deref(), Some("w2"));
                break;
            }
            Some(_) => {}
            None => panic!("watcher ended"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pagination_through_5000_objects() {
    let dir = tempfile::tempdir().unwrap();
    let kubox = Kubox::start(dir.path());
    let client = client(&kubox).await;
    let cms: Api<ConfigMap> = Api::namespaced(client.clone(), "default");
    futures::stream::iter(0..5000)
        .map(|i| {
            let cms = cms.clone();
            async move { cms.create(&PostParams::default(), &cm(&format!("cm-{i:05}"), &[("i", &i.to_string())])).await }
        })
        .buffer_unordered(16)
        .try_collect::<Vec<_>>()
        .await
        .unwrap();
    let mut names = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    let mut list_rv = None;
    loop {
        let mut lp = ListParams::default().limit(500);
        if let Some(t) = &token {
            lp = lp.continue_token(t);
        }
        let page = cms.list(&lp).await.unwrap();
        pages += 1;
        // Every page is read at the first page's resourceVersion.
        let rv = page.metadata.resource_version.clone();
        assert_eq!(*list_rv.get_or_insert(rv.clone()), rv);
        let before = names.len();
        names.extend(page.items.into_iter().map(|c| c.metadata.name.unwrap()));
        match page.metadata.continue_.filter(|c| !c.is_empty()) {
            Some(c) => {
                assert_eq!(page.metadata.remaining_item_count, Some(5000 - names.len() as i64), "after {before}");
                token = Some(c);
            }
            None => break,
        }
        // Writes between pages do not show up in this list.
        if pages == 2 {
            cms.create(&PostParams::default(), &cm("zz-late", &[])).await.unwrap();
        }
    }
    assert_eq!(pages, 10);
    assert_eq!(names.len(), 5000);
    let unique: BTreeSet<&String> = names.iter().collect();
    assert_eq!(unique.len(), 5000);
    assert!(names.windows(2).all(|w| w[0] < w[1]), "pages come in key order");
    assert_eq!(cms.list(&ListParams::default()).await.unwrap().items.len(), 5001);
}

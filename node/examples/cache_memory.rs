//! Bytes the node holds per cached object: creates 20,000 1-KiB ConfigMaps
//! through the registry on a RocksDB store and counts the Rust heap that
//! stays allocated (the watch cache and the store's index; RocksDB's own
//! C++ allocations are not counted).
//!
//! `cargo run --release -p kubox --example cache_memory` (outside the
//! workspace-wide build, so it compiles RocksDB once more for itself).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        LIVE.fetch_add(l.size(), Ordering::Relaxed);
        unsafe { System.alloc(l) }
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.dealloc(p, l) }
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        LIVE.fetch_add(n, Ordering::Relaxed);
        LIVE.fetch_sub(l.size(), Ordering::Relaxed);
        unsafe { System.realloc(p, l, n) }
    }
}
#[global_allocator]
static A: Counting = Counting;
#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("cache-mem-{}", std::process::id()));
    let store: Arc<dyn kubox_storage::Store> =
        Arc::new(kubox_storage::LocalStore::open(&dir, Default::default()).unwrap());
    let catalog = Arc::new(kubox_api::catalog::Catalog::builtin());
    let registry =
        kubox_api::registry::Registry::new(store.clone(), catalog.clone(), Default::default()).await.unwrap();
    let ns = catalog.get("", "v1", "namespaces").unwrap().clone();
    let cms = catalog.get("", "v1", "configmaps").unwrap().clone();
    let ctx = kubox_api::registry::WriteContext {
        dry_run: false,
        field_manager: "bench".into(),
        user: "admin".into(),
        groups: vec![],
    };
    registry
        .create(&ns, "", serde_json::json!({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"bench"}}), &ctx)
        .await
        .unwrap();
    let payload = "x".repeat(1024);
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let before = LIVE.load(Ordering::Relaxed);
    const N: usize = 20000;
    for i in 0..N {
        let v = serde_json::json!({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":format!("cm-{i:06}"),"labels":{"app":"kubox-bench"}},"data":{"payload":payload}});
        registry.create(&cms, "bench", v, &ctx).await.unwrap();
    }
    tokio::time::sleep(std::time::Duration::from_millis(1000)).await;
    let after = LIVE.load(Ordering::Relaxed);
    println!("{} bytes of Rust heap per cached ConfigMap", (after - before) / N);
    drop(registry);
    drop(store);
    let _ = std::fs::remove_dir_all(&dir);
}

//! Admission plugins: the checks kube-apiserver runs on a request after
//! authorization and before the object is stored.

pub mod podsecurity;

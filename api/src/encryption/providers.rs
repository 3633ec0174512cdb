//! The local ciphers of encryption at rest, byte for byte as kube-apiserver
//! writes them after its `k8s:enc:<provider>:v1:<key>:` prefix:
//!
//! - aescbc: IV (16) + AES-CBC ciphertext with PKCS#7 padding, nothing
//!   authenticated;
//! - aesgcm: nonce (12) + AES-GCM sealed data (tag last), the storage key
//!   as additional authenticated data;
//! - secretbox: nonce (24) + NaCl secretbox (XSalsa20-Poly1305, tag first);
//! - the KMS v2 data cipher: info (32) + nonce (12) + AES-256-GCM sealed
//!   data under the key HKDF-Expand(SHA-256, seed, info), the storage key as
//!   additional authenticated data.
//!
//! Error texts are kube-apiserver's, so a failure reads the same in logs and
//! Status messages.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes128Gcm, Aes256Gcm, AesGcm};
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockDecryptMut, BlockEncryptMut, KeyIvInit};
use crypto_secretbox::XSalsa20Poly1305;
use crypto_secretbox::aead::generic_array::GenericArray;

use super::TransformError;

const AES_BLOCK: usize = 16;
const GCM_NONCE: usize = 12;
const SECRETBOX_NONCE: usize = 24;
const SECRETBOX_OVERHEAD: usize = 16;
/// Size of the KDF info, the seed and the derived key of the KMS v2 cipher.
pub(crate) const KDF_SIZE: usize = 32;

/// The AES key sizes aescbc and aesgcm accept.
pub(crate) const AES_KEY_SIZES: &[usize] = &[16, 24, 32];
/// The key size secretbox accepts.
pub(crate) const SECRETBOX_KEY_SIZES: &[usize] = &[32];

fn short() -> TransformError {
    TransformError::new("the stored data was shorter than the required size")
}

/// Fills `buf` from the operating system's random source.
pub(crate) fn random(buf: &mut [u8]) -> Result<(), TransformError> {
    use aes_gcm::aead::rand_core::RngCore;
    aes_gcm::aead::OsRng.try_fill_bytes(buf).map_err(|_| TransformError::new("unable to read sufficient random bytes"))
}

/// One key of a keyed provider.
pub(crate) enum Cipher {
    /// aescbc.
    Cbc(Vec<u8>),
    /// aesgcm.
    Gcm(Gcm),
    /// secretbox.
    Secretbox(Box<XSalsa20Poly1305>),
}

impl Cipher {
    /// An aescbc key (16, 24 or 32 bytes, checked by validation).
    pub(crate) fn cbc(key: &[u8]) -> Self {
        Self::Cbc(key.to_vec())
    }

    /// An aesgcm key.
    pub(crate) fn gcm(key: &[u8]) -> Result<Self, TransformError> {
        Gcm::new(key).map(Self::Gcm)
    }

    /// A secretbox key (32 bytes).
    pub(crate) fn secretbox(key: &[u8]) -> Result<Self, TransformError> {
        XSalsa20Poly1305::new_from_slice(key)
            .map(|c| Self::Secretbox(Box::new(c)))
            .map_err(|_| TransformError::new(format!("invalid secretbox key length {}", key.len())))
    }

    /// Encrypts `data` (without the prefix).
    pub(crate) fn seal(&self, data: &[u8], authenticated: &[u8]) -> Result<Vec<u8>, TransformError> {
        match self {
            Self::Cbc(key) => {
                let mut iv = [0u8; AES_BLOCK];
                random(&mut iv)?;
                cbc_seal(key, &iv, data)
            }
            Self::Gcm(gcm) => {
                let mut nonce = [0u8; GCM_NONCE];
                random(&mut nonce)?;
                gcm.seal(&nonce, data, authenticated)
            }
            Self::Secretbox(cipher) => {
                let mut nonce = [0u8; SECRETBOX_NONCE];
                random(&mut nonce)?;
                secretbox_seal(cipher, &nonce, data)
            }
        }
    }

    /// Decrypts `data` (after the prefix).
    pub(crate) fn open(&self, data: &[u8], authenticated: &[u8]) -> Result<Vec<u8>, TransformError> {
        match self {
            Self::Cbc(key) => cbc_open(key, data),
            Self::Gcm(gcm) => gcm.open(data, authenticated),
            Self::Secretbox(cipher) => secretbox_open(cipher, data),
        }
    }
}

/// IV + CBC(data + PKCS#7 padding).
pub(crate) fn cbc_seal(key: &[u8], iv: &[u8; AES_BLOCK], data: &[u8]) -> Result<Vec<u8>, TransformError> {
    let padding = AES_BLOCK - data.len() % AES_BLOCK;
    let mut out = Vec::with_capacity(AES_BLOCK + data.len() + padding);
    out.extend_from_slice(iv);
    out.extend_from_slice(data);
    out.resize(AES_BLOCK + data.len() + padding, padding as u8);
    let body = &mut out[AES_BLOCK..];
    let len = body.len();
    let bad_key = || TransformError::new("invalid AES key length");
    let done = match key.len() {
        16 => cbc::Encryptor::<aes::Aes128>::new_from_slices(key, iv)
            .map_err(|_| bad_key())?
            .encrypt_padded_mut::<NoPadding>(body, len)
            .is_ok(),
        24 => cbc::Encryptor::<aes::Aes192>::new_from_slices(key, iv)
            .map_err(|_| bad_key())?
            .encrypt_padded_mut::<NoPadding>(body, len)
            .is_ok(),
        32 => cbc::Encryptor::<aes::Aes256>::new_from_slices(key, iv)
            .map_err(|_| bad_key())?
            .encrypt_padded_mut::<NoPadding>(body, len)
            .is_ok(),
        _ => return Err(bad_key()),
    };
    if !done {
        return Err(TransformError::new("the data is not a multiple of the block size"));
    }
    Ok(out)
}

fn cbc_open(key: &[u8], data: &[u8]) -> Result<Vec<u8>, TransformError> {
    if data.len() < AES_BLOCK {
        return Err(short());
    }
    let (iv, body) = data.split_at(AES_BLOCK);
    if body.len() % AES_BLOCK != 0 {
        return Err(TransformError::new("the stored data is not a multiple of the block size"));
    }
    let mut out = body.to_vec();
    let bad_key = || TransformError::new("invalid AES key length");
    let done = match key.len() {
        16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
            .map_err(|_| bad_key())?
            .decrypt_padded_mut::<NoPadding>(&mut out)
            .is_ok(),
        24 => cbc::Decryptor::<aes::Aes192>::new_from_slices(key, iv)
            .map_err(|_| bad_key())?
            .decrypt_padded_mut::<NoPadding>(&mut out)
            .is_ok(),
        32 => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
            .map_err(|_| bad_key())?
            .decrypt_padded_mut::<NoPadding>(&mut out)
            .is_ok(),
        _ => return Err(bad_key()),
    };
    if !done {
        return Err(TransformError::new("the stored data is not a multiple of the block size"));
    }
    // PKCS#7, checked as kube-apiserver does.
    let Some(&last) = out.last() else {
        return Err(TransformError::new("invalid PKCS7 data (empty or not padded)"));
    };
    let padding = last as usize;
    if padding == 0 || padding > out.len() {
        return Err(TransformError::new("invalid PKCS7 data (empty or not padded)"));
    }
    let size = out.len() - padding;
    if out[size..].iter().any(|&b| b != last) {
        return Err(TransformError::new("invalid padding on input"));
    }
    out.truncate(size);
    Ok(out)
}

/// AES-GCM with a 16, 24 or 32 byte key.
pub(crate) enum Gcm {
    /// AES-128-GCM.
    A128(Box<Aes128Gcm>),
    /// AES-192-GCM.
    A192(Box<AesGcm<aes::Aes192, aes_gcm::aead::consts::U12>>),
    /// AES-256-GCM.
    A256(Box<Aes256Gcm>),
}

impl Gcm {
    /// The cipher of `key`.
    pub(crate) fn new(key: &[u8]) -> Result<Self, TransformError> {
        let bad = |_| TransformError::new(format!("invalid AES key length {}", key.len()));
        Ok(match key.len() {
            16 => Self::A128(Box::new(Aes128Gcm::new_from_slice(key).map_err(bad)?)),
            24 => Self::A192(Box::new(AesGcm::new_from_slice(key).map_err(bad)?)),
            32 => Self::A256(Box::new(Aes256Gcm::new_from_slice(key).map_err(bad)?)),
            n => return Err(TransformError::new(format!("invalid AES key length {n}"))),
        })
    }

    /// nonce + sealed(data).
    pub(crate) fn seal(&self, nonce: &[u8; GCM_NONCE], data: &[u8], aad: &[u8]) -> Result<Vec<u8>, TransformError> {
        let n = GenericArray::from_slice(nonce);
        let payload = Payload { msg: data, aad };
        let sealed = match self {
            Self::A128(c) => c.encrypt(n, payload),
            Self::A192(c) => c.encrypt(n, payload),
            Self::A256(c) => c.encrypt(n, payload),
        }
        .map_err(|_| TransformError::new("failed to encrypt with AES-GCM"))?;
        let mut out = Vec::with_capacity(GCM_NONCE + sealed.len());
        out.extend_from_slice(nonce);
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens nonce + sealed data.
    pub(crate) fn open(&self, data: &[u8], aad: &[u8]) -> Result<Vec<u8>, TransformError> {
        if data.len() < GCM_NONCE {
            return Err(short());
        }
        let (nonce, sealed) = data.split_at(GCM_NONCE);
        let n = GenericArray::from_slice(nonce);
        let payload = Payload { msg: sealed, aad };
        match self {
            Self::A128(c) => c.decrypt(n, payload),
            Self::A192(c) => c.decrypt(n, payload),
            Self::A256(c) => c.decrypt(n, payload),
        }
        // Go's crypto/cipher wording, which kube-apiserver passes on.
        .map_err(|_| TransformError::new("cipher: message authentication failed"))
    }
}

/// nonce + secretbox(data).
pub(crate) fn secretbox_seal(
    cipher: &XSalsa20Poly1305,
    nonce: &[u8; SECRETBOX_NONCE],
    data: &[u8],
) -> Result<Vec<u8>, TransformError> {
    let sealed = cipher
        .encrypt(GenericArray::from_slice(nonce), data)
        .map_err(|_| TransformError::new("failed to encrypt with secretbox"))?;
    let mut out = Vec::with_capacity(SECRETBOX_NONCE + sealed.len());
    out.extend_from_slice(nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

fn secretbox_open(cipher: &XSalsa20Poly1305, data: &[u8]) -> Result<Vec<u8>, TransformError> {
    if data.len() < SECRETBOX_NONCE + SECRETBOX_OVERHEAD {
        return Err(short());
    }
    let (nonce, sealed) = data.split_at(SECRETBOX_NONCE);
    // kube-apiserver's (odd) wording for a box that does not open.
    cipher
        .decrypt(GenericArray::from_slice(nonce), sealed)
        .map_err(|_| TransformError::new("output array was not large enough for encryption"))
}

/// The data key of one KMS v2 object: HKDF-Expand(SHA-256, seed, info),
/// 32 bytes (the seed is used as the pseudorandom key, no extract step).
pub(crate) fn kdf_key(seed: &[u8], info: &[u8]) -> Result<[u8; KDF_SIZE], TransformError> {
    let hk = hkdf::Hkdf::<sha2::Sha256>::from_prk(seed)
        .map_err(|_| TransformError::new(format!("invalid seed length {} used for key generation", seed.len())))?;
    let mut key = [0u8; KDF_SIZE];
    hk.expand(info, &mut key).map_err(|_| TransformError::new("failed to read a derived key from KDF"))?;
    Ok(key)
}

/// KMS v2 data with a seed: info + nonce + AES-256-GCM(HKDF(seed, info)).
pub(crate) fn seed_seal(
    seed: &[u8],
    info: &[u8; KDF_SIZE],
    nonce: &[u8; GCM_NONCE],
    data: &[u8],
    aad: &[u8],
) -> Result<Vec<u8>, TransformError> {
    let key = kdf_key(seed, info)?;
    let sealed = Gcm::new(&key)?.seal(nonce, data, aad)?;
    let mut out = Vec::with_capacity(KDF_SIZE + sealed.len());
    out.extend_from_slice(info);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Opens KMS v2 data written with a seed.
pub(crate) fn seed_open(seed: &[u8], data: &[u8], aad: &[u8]) -> Result<Vec<u8>, TransformError> {
    if data.len() < KDF_SIZE {
        return Err(short());
    }
    let (info, rest) = data.split_at(KDF_SIZE);
    let key =
        kdf_key(seed, info).map_err(|e| TransformError::new(format!("failed to derive read key from KDF: {e}")))?;
    Gcm::new(&key)?.open(rest, aad)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    #[test]
    fn cbc_matches_the_nist_vector_and_pads_like_upstream() {
        // NIST SP 800-38A F.2.1 (CBC-AES128), first block: with a full
        // block of input, upstream adds a whole block of padding (16 x 0x10).
        let key = hex("2b7e151628aed2a6abf7158809cf4f3c");
        let iv: [u8; 16] = hex("000102030405060708090a0b0c0d0e0f").try_into().unwrap();
        let plain = hex("6bc1bee22e409f96e93d7e117393172a");
        let out = cbc_seal(&key, &iv, &plain).unwrap();
        assert_eq!(&out[..16], &iv);
        assert_eq!(&out[16..32], &hex("7649abac8119b246cee98e9b12e9197d")[..]);
        assert_eq!(out.len(), 48);
        assert_eq!(cbc_open(&key, &out).unwrap(), plain);
        // Every key size round-trips; a short or ragged value is refused.
        for size in [16, 24, 32] {
            let key = vec![7u8; size];
            let sealed = Cipher::cbc(&key).seal(b"hello", b"").unwrap();
            assert_eq!(sealed.len(), 32);
            assert_eq!(Cipher::cbc(&key).open(&sealed, b"").unwrap(), b"hello");
        }
        assert_eq!(
            cbc_open(&key, &out[..10]).unwrap_err().to_string(),
            "the stored data was shorter than the required size"
        );
        assert_eq!(
            cbc_open(&key, &out[..40]).unwrap_err().to_string(),
            "the stored data is not a multiple of the block size"
        );
        // The wrong key leaves garbage padding (almost always).
        let wrong = cbc_open(&[9u8; 16], &out).unwrap_err().to_string();
        assert!(wrong.contains("PKCS7") || wrong.contains("padding"), "{wrong}");
    }

    #[test]
    fn gcm_matches_the_known_vector_and_authenticates_the_key() {
        // The GCM spec's test case 4 (AES-128, with additional data).
        let key = hex("feffe9928665731c6d6a8f9467308308");
        let nonce: [u8; 12] = hex("cafebabefacedbaddecaf888").try_into().unwrap();
        let plain = hex(
            "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
        );
        let aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
        let gcm = Gcm::new(&key).unwrap();
        let out = gcm.seal(&nonce, &plain, &aad).unwrap();
        assert_eq!(&out[..12], &nonce);
        assert_eq!(
            &out[12..],
            &hex(
                "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e0915bc94fbc3221a5db94fae95ae7121a47"
            )[..]
        );
        assert_eq!(gcm.open(&out, &aad).unwrap(), plain);
        // Another storage key (AD) or a flipped bit is refused.
        assert_eq!(
            gcm.open(&out, b"/registry/secrets/x/y").unwrap_err().to_string(),
            "cipher: message authentication failed"
        );
        let mut tampered = out.clone();
        tampered[20] ^= 1;
        assert!(gcm.open(&tampered, &aad).is_err());
        assert!(gcm.open(&out[..5], &aad).is_err());
        for size in [16, 24, 32] {
            let c = Cipher::gcm(&vec![3u8; size]).unwrap();
            let sealed = c.seal(b"data", b"/registry/secrets/a/b").unwrap();
            assert_eq!(sealed.len(), 12 + 4 + 16);
            assert_eq!(c.open(&sealed, b"/registry/secrets/a/b").unwrap(), b"data");
        }
    }

    #[test]
    fn secretbox_matches_nacl() {
        // NaCl's tests/secretbox.c vector ("firstkey", "nonce"), the first
        // 32 bytes of the message as the box reads them.
        let key = hex("1b27556473e985d462cd51197a9a46c76009549eac6474f206c4ee0844f68389");
        let nonce: [u8; 24] = hex("69696ee955b62b73cd62bda875fc73d68219e0036b7a0b37").try_into().unwrap();
        let plain = hex("be075fc53c81f2d5cf141316ebeb0c7b5228c52a4c62cbd44b66849b64244ffc");
        let cipher = XSalsa20Poly1305::new_from_slice(&key).unwrap();
        let out = secretbox_seal(&cipher, &nonce, &plain).unwrap();
        assert_eq!(&out[..24], &nonce);
        // tag (16) then ciphertext, as golang.org/x/crypto/nacl/secretbox.
        assert_eq!(&out[24 + 16..24 + 16 + 8], &hex("8e993b9f48681273")[..]);
        assert_eq!(secretbox_open(&cipher, &out).unwrap(), plain);
        let mut tampered = out.clone();
        tampered[30] ^= 1;
        assert_eq!(
            secretbox_open(&cipher, &tampered).unwrap_err().to_string(),
            "output array was not large enough for encryption"
        );
        assert!(secretbox_open(&cipher, &out[..30]).is_err());
    }

    #[test]
    fn kdf_matches_rfc5869_expand() {
        // RFC 5869 test case 1: PRK and info give the OKM (first 32 bytes).
        let prk = hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
        let info = hex("f0f1f2f3f4f5f6f7f8f9");
        let okm = kdf_key(&prk, &info).unwrap();
        assert_eq!(&okm[..], &hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf")[..]);
        let seed = [5u8; 32];
        let sealed = seed_seal(&seed, &[1u8; 32], &[2u8; 12], b"obj", b"/registry/secrets/a/b").unwrap();
        assert_eq!(&sealed[..32], &[1u8; 32]);
        assert_eq!(seed_open(&seed, &sealed, b"/registry/secrets/a/b").unwrap(), b"obj");
        assert!(seed_open(&[6u8; 32], &sealed, b"/registry/secrets/a/b").is_err());
        assert!(seed_open(&seed, &sealed, b"/registry/secrets/a/c").is_err());
    }
}

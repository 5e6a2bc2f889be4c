//! Uploaded images are recognised by their bytes, never by their name or the
//! type the browser claims, and their size is bounded before anything else
//! looks at them.

use crate::base::error::AppError;
use crate::base::i18n::T;

pub const MAX_BYTES: usize = 1_500_000;
pub const MAX_SIDE: u32 = 6_000;
pub const MAX_PIXELS: u64 = 24_000_000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    pub mime: &'static str,
    pub width: u32,
    pub height: u32,
}

fn be16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_be_bytes(
        b.get(at..at + 2)?.try_into().ok()?,
    )))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn le16(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from(u16::from_le_bytes(
        b.get(at..at + 2)?.try_into().ok()?,
    )))
}

fn le24(b: &[u8], at: usize) -> Option<u32> {
    let s = b.get(at..at + 3)?;
    Some(u32::from(s[0]) | u32::from(s[1]) << 8 | u32::from(s[2]) << 16)
}

fn png(b: &[u8]) -> Option<(u32, u32)> {
    if !b.starts_with(b"\x89PNG\r\n\x1a\n") || b.get(12..16)? != b"IHDR" {
        return None;
    }
    Some((be32(b, 16)?, be32(b, 20)?))
}

fn jpeg(b: &[u8]) -> Option<(u32, u32)> {
    if !b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return None;
    }
    let mut at = 2;
    loop {
        if *b.get(at)? != 0xFF {
            return None;
        }
        let marker = *b.get(at + 1)?;
        // Start-of-frame markers carry the size; C4, C8 and CC are not frames.
        if (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            return Some((be16(b, at + 7)?, be16(b, at + 5)?));
        }
        let len = be16(b, at + 2)? as usize;
        if len < 2 {
            return None;
        }
        at += 2 + len;
    }
}

fn webp(b: &[u8]) -> Option<(u32, u32)> {
    if b.get(0..4)? != b"RIFF" || b.get(8..12)? != b"WEBP" {
        return None;
    }
    match b.get(12..16)? {
        b"VP8 " => {
            if b.get(23..26)? != [0x9D, 0x01, 0x2A] {
                return None;
            }
            Some((le16(b, 26)? & 0x3FFF, le16(b, 28)? & 0x3FFF))
        }
        b"VP8L" => {
            if *b.get(20)? != 0x2F {
                return None;
            }
            let bits = u32::from_le_bytes(b.get(21..25)?.try_into().ok()?);
            Some(((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1))
        }
        b"VP8X" => Some((le24(b, 24)? + 1, le24(b, 27)? + 1)),
        _ => None,
    }
}

/// What the bytes are, if they are a JPEG, PNG or WebP within the limits.
pub fn check(bytes: &[u8]) -> Result<ImageInfo, AppError> {
    if bytes.len() > MAX_BYTES {
        return Err(AppError::TooLarge(T::ErrImageTooBig));
    }
    let (mime, (width, height)) = if let Some(size) = png(bytes) {
        ("image/png", size)
    } else if let Some(size) = jpeg(bytes) {
        ("image/jpeg", size)
    } else if let Some(size) = webp(bytes) {
        ("image/webp", size)
    } else {
        return Err(AppError::Invalid(T::ErrImageType));
    };
    if width == 0
        || height == 0
        || width > MAX_SIDE
        || height > MAX_SIDE
        || u64::from(width) * u64::from(height) > MAX_PIXELS
    {
        return Err(AppError::Invalid(T::ErrImagePixels));
    }
    Ok(ImageInfo {
        mime,
        width,
        height,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub fn png_bytes(w: u32, h: u32) -> Vec<u8> {
        let mut b = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        b.extend(w.to_be_bytes());
        b.extend(h.to_be_bytes());
        b.extend([8, 2, 0, 0, 0]);
        b
    }

    #[test]
    fn recognises_png_jpeg_and_webp_by_content() {
        assert_eq!(
            check(&png_bytes(640, 480)),
            Ok(ImageInfo {
                mime: "image/png",
                width: 640,
                height: 480
            })
        );
        // SOI, an APP0 segment of 16 bytes, then SOF0 with height 200, width 300.
        let mut jpg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
        jpg.extend([0u8; 14]);
        jpg.extend([0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 200, 0x01, 0x2C]);
        let info = check(&jpg).unwrap();
        assert_eq!(
            (info.mime, info.width, info.height),
            ("image/jpeg", 300, 200)
        );
        let mut lossy = b"RIFF\0\0\0\0WEBPVP8 \0\0\0\0".to_vec();
        lossy.extend([0, 0, 0, 0x9D, 0x01, 0x2A]);
        lossy.extend(120u16.to_le_bytes());
        lossy.extend(90u16.to_le_bytes());
        let info = check(&lossy).unwrap();
        assert_eq!(
            (info.mime, info.width, info.height),
            ("image/webp", 120, 90)
        );
        let mut extended = b"RIFF\0\0\0\0WEBPVP8X\0\0\0\0\0\0\0\0".to_vec();
        extended.extend([0x3F, 0x01, 0x00, 0xEF, 0x00, 0x00]);
        let info = check(&extended).unwrap();
        assert_eq!((info.width, info.height), (320, 240));
    }

    #[test]
    fn refuses_what_is_not_an_image_or_too_big() {
        assert_eq!(
            check(b"<svg onload=alert(1)>"),
            Err(AppError::Invalid(T::ErrImageType))
        );
        assert_eq!(
            check(b"GIF89a\x01\0\x01\0"),
            Err(AppError::Invalid(T::ErrImageType))
        );
        // A PNG signature in front of a script is still not a PNG.
        assert_eq!(
            check(b"\x89PNG\r\n\x1a\n<script>"),
            Err(AppError::Invalid(T::ErrImageType))
        );
        assert_eq!(
            check(&png_bytes(10_000, 10)),
            Err(AppError::Invalid(T::ErrImagePixels))
        );
        assert_eq!(
            check(&png_bytes(0, 10)),
            Err(AppError::Invalid(T::ErrImagePixels))
        );
        let mut big = png_bytes(10, 10);
        big.resize(MAX_BYTES + 1, 0);
        assert_eq!(check(&big), Err(AppError::TooLarge(T::ErrImageTooBig)));
    }
}

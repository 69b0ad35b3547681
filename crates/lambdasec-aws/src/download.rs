//! Deployment packages and layer archives (`--download-code`): streamed from the presigned URL
//! Lambda returns straight to a file, never held in memory, and cut off at a size cap.

use crate::http::Http;
use crate::scope::Failure;
use aws_smithy_types::body::SdkBody;
use aws_smithy_types::byte_stream::ByteStream;
use std::path::Path;
use tokio::io::AsyncWriteExt;

/// What happened to one archive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Saved {
    /// Written in full.
    Complete { bytes: u64 },
    /// Larger than the cap: the partial file was removed.
    TooLarge { limit: u64 },
}

/// Download `url` to `dest` (parent directories created), stopping past `max_bytes`. The
/// presigned URL is never logged: it is a credential for the object.
pub async fn download(
    http: &Http,
    url: &str,
    dest: &Path,
    max_bytes: u64,
) -> Result<Saved, Failure> {
    let request = http::Request::builder()
        .method("GET")
        .uri(url)
        .body(SdkBody::empty())
        .map_err(|e| Failure::new("ConstructionFailure", e.to_string()))?;
    let response = http.send(request).await?;
    let status = response.status().as_u16();
    if !(200..300).contains(&status) {
        return Err(Failure::new(
            if status >= 500 {
                "HttpStatus5xx"
            } else {
                "HttpStatus4xx"
            },
            format!("download answered HTTP {status}"),
        ));
    }
    let announced = response
        .headers()
        .get("content-length")
        .and_then(|v| v.parse::<u64>().ok());
    if announced.is_some_and(|n| n > max_bytes) {
        return Ok(Saved::TooLarge { limit: max_bytes });
    }
    if let Some(parent) = dest.parent() {
        tokio::fs::create_dir_all(parent)
            .await
            .map_err(|e| io_failure(parent, &e))?;
    }
    let mut file = tokio::fs::File::create(dest)
        .await
        .map_err(|e| io_failure(dest, &e))?;
    let mut body = ByteStream::new(response.into_body());
    let mut written: u64 = 0;
    loop {
        let chunk = match body.next().await {
            None => break,
            Some(Ok(c)) => c,
            Some(Err(e)) => {
                drop(file);
                let _ = tokio::fs::remove_file(dest).await;
                return Err(Failure::new("ResponseError", e.to_string()));
            }
        };
        written += chunk.len() as u64;
        if written > max_bytes {
            drop(file);
            let _ = tokio::fs::remove_file(dest).await;
            return Ok(Saved::TooLarge { limit: max_bytes });
        }
        file.write_all(&chunk)
            .await
            .map_err(|e| io_failure(dest, &e))?;
    }
    file.flush().await.map_err(|e| io_failure(dest, &e))?;
    Ok(Saved::Complete { bytes: written })
}

fn io_failure(path: &Path, e: &std::io::Error) -> Failure {
    Failure::new("IoError", format!("{}: {e}", path.display()))
}

/// A file name safe on every platform for a function or layer name (they allow `[A-Za-z0-9-_]`
/// already; anything else is replaced).
pub fn safe_name(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect::<String>()
        .trim_start_matches('.')
        .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    /// A one-shot HTTP server on loopback answering every request with `body`.
    async fn serve(body: Vec<u8>, announce_length: bool) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            if let Ok((mut sock, _)) = listener.accept().await {
                let mut buf = [0u8; 4096];
                let _ = sock.read(&mut buf).await;
                let head = if announce_length {
                    format!(
                        "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                        body.len()
                    )
                } else {
                    "HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n".to_owned()
                };
                let _ = sock.write_all(head.as_bytes()).await;
                let _ = sock.write_all(&body).await;
                let _ = sock.shutdown().await;
            }
        });
        format!("http://{addr}/package.zip?X-Amz-Signature=secret")
    }

    fn temp(name: &str) -> std::path::PathBuf {
        std::env::temp_dir()
            .join(format!("lambdasec-dl-{}-{name}", std::process::id()))
            .join("fn.zip")
    }

    #[tokio::test]
    async fn streams_to_a_file_and_caps_the_size() {
        let http = Http::new().unwrap();
        let body: Vec<u8> = (0..100_000u32).map(|i| (i % 251) as u8).collect();

        let url = serve(body.clone(), true).await;
        let dest = temp("ok");
        let saved = download(&http, &url, &dest, 1_000_000).await.unwrap();
        assert_eq!(saved, Saved::Complete { bytes: 100_000 });
        assert_eq!(std::fs::read(&dest).unwrap(), body);

        // announced too large: nothing written
        let url = serve(body.clone(), true).await;
        let dest = temp("announced");
        let saved = download(&http, &url, &dest, 1000).await.unwrap();
        assert_eq!(saved, Saved::TooLarge { limit: 1000 });
        assert!(!dest.exists());

        // not announced: cut off while streaming, partial file removed
        let url = serve(body, false).await;
        let dest = temp("streamed");
        let saved = download(&http, &url, &dest, 5000).await.unwrap();
        assert_eq!(saved, Saved::TooLarge { limit: 5000 });
        assert!(!dest.exists());
    }

    #[test]
    fn safe_names() {
        assert_eq!(safe_name("my-fn_1"), "my-fn_1");
        assert_eq!(safe_name("../x/y"), "_x_y");
    }
}

use std::io::{Read, Write};
use std::net::TcpStream;

use openssl::ssl::{SslConnector, SslMethod};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let host = std::env::args().nth(1).unwrap_or_else(|| "example.com".to_string());
    let connector = SslConnector::builder(SslMethod::tls())?.build();
    let tcp = TcpStream::connect((host.as_str(), 443))?;
    let mut tls = connector.connect(&host, tcp)?;
    write!(tls, "HEAD / HTTP/1.0\r\nHost: {host}\r\n\r\n")?;
    let mut response = String::new();
    tls.read_to_string(&mut response)?;
    let status = response.lines().next().unwrap_or("(no response)");
    println!("{} {host} answered: {status}", shared::greeting("TLS"));
    Ok(())
}

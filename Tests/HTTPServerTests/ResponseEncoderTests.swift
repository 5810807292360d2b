import Platform
import Testing

@testable import HTTPServer

@Suite("Response wire form")
struct ResponseEncoderTests {
    func encode(_ response: HTTPResponse, head: Bool = false, _ persistence: ResponseEncoder.Persistence = .keepAlive)
        -> (String, Bool)
    {
        var out: [UInt8] = []
        let close = ResponseEncoder.encode(response, headRequest: head, persistence: persistence, into: &out)
        return (String(decoding: out, as: UTF8.self), close)
    }

    @Test func aPlainResponse() {
        let (text, close) = encode(.json(201, Array("{}".utf8)))
        #expect(text == "HTTP/1.1 201 Created\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}")
        #expect(!close)
    }

    @Test func closingAddsTheHeaderOnce() {
        let (text, close) = encode(HTTPResponse(status: 200, headers: HTTPHeaders([("Connection", "close")])), .keepAlive)
        #expect(text == "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
        #expect(close)
        let (closing, _) = encode(HTTPResponse(status: 200, headers: HTTPHeaders([("connection", "keep-alive")])), .close)
        #expect(closing == "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
    }

    @Test func headAnd204AndHTTP10() {
        #expect(encode(HTTPResponse(status: 200, body: [1, 2, 3]), head: true).0 == "HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\n")
        #expect(encode(HTTPResponse(status: 204, body: [1])).0 == "HTTP/1.1 204 No Content\r\n\r\n")
        #expect(encode(HTTPResponse(status: 200), .keepAliveHTTP10).0
            == "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: keep-alive\r\n\r\n")
    }

    @Test func handlerFramingAndUnsafeFieldsAreReplacedOrDropped() {
        let response = HTTPResponse(
            status: 200,
            headers: HTTPHeaders([
                ("Content-Length", "999"), ("Transfer-Encoding", "chunked"), ("X-Split", "a\r\nSet-Cookie: evil"),
                ("Bad Name", "v"), ("X-Ok", "fine"),
            ]),
            body: Array("hi".utf8))
        #expect(encode(response).0 == "HTTP/1.1 200 OK\r\nX-Ok: fine\r\ncontent-length: 2\r\n\r\nhi")
    }

    @Test func anInvalidStatusBecomes500() {
        #expect(encode(HTTPResponse(status: 42)).0.hasPrefix("HTTP/1.1 500 Internal Server Error\r\n"))
        #expect(encode(HTTPResponse(status: 101)).0.hasPrefix("HTTP/1.1 500 "))
    }

    @Test(arguments: [0, 7, 10, 65_535, 1_048_576, Int.max])
    func decimalDigits(_ value: Int) {
        var out: [UInt8] = []
        ResponseEncoder.appendDecimal(value, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == String(value))
    }
}

import Postgres
import Testing

@Suite struct ConnectionInfoTests {
    @Test func urlsAndKeywordStringsParseToTheSameParameters() throws {
        let url = try ConnectionInfo(parsing: "postgresql://ana:p%40ss%27w%5Cd@db.internal:5433/pos?sslmode=require")
        #expect(url["user"] == "ana")
        #expect(url["password"] == "p@ss'w\\d")
        #expect(url["host"] == "db.internal")
        #expect(url["port"] == "5433")
        #expect(url["dbname"] == "pos")
        #expect(url["sslmode"] == "require")
        // Rendered as key='value' with quotes and backslashes escaped, it reads back the same.
        #expect(try ConnectionInfo(parsing: url.conninfo) == url)
    }

    @Test func replacingTheLoginKeepsTheRest() throws {
        var info = try ConnectionInfo(parsing: "host=/tmp/sock port=5432 user=postgres password=secret dbname=banyan")
        info["user"] = "banyan_auth"
        info["password"] = nil
        info["options"] = "-c search_path=auth"
        let reparsed = try ConnectionInfo(parsing: info.conninfo)
        #expect(reparsed["user"] == "banyan_auth")
        #expect(reparsed["password"] == nil)
        #expect(reparsed["host"] == "/tmp/sock")
        #expect(reparsed["options"] == "-c search_path=auth")
    }

    @Test func malformedStringsFailWithoutEchoingThem() {
        let error = #expect(throws: PostgresError.self) {
            try ConnectionInfo(parsing: "host=x password='unterminated-secret")
        }
        #expect(error.map { String(reflecting: $0) }?.contains("unterminated-secret") == false)
    }
}

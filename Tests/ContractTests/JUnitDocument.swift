import Foundation
import FoundationXML

/// A JUnit XML file read back with a real XML parser: if it parses, it is
/// well-formed, and the attributes come back unescaped.
final class JUnitDocument: NSObject, XMLParserDelegate {
    struct TestCase {
        var attributes: [String: String]
        var failure: [String: String]?
        var failureText = ""
        var name: String { attributes["name"] ?? "" }
    }

    private(set) var suites: [[String: String]] = []
    private(set) var testCases: [TestCase] = []
    private(set) var properties: [String: String] = [:]
    private var inFailure = false

    /// nil when the text is not well-formed XML.
    static func parse(_ text: String) -> JUnitDocument? {
        let document = JUnitDocument()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = document
        return parser.parse() ? document : nil
    }

    var suite: [String: String] { suites.first ?? [:] }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        switch elementName {
        case "testsuite": suites.append(attributes)
        case "testcase": testCases.append(TestCase(attributes: attributes))
        case "failure":
            testCases[testCases.count - 1].failure = attributes
            inFailure = true
        case "property": properties[attributes["name"] ?? ""] = attributes["value"]
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inFailure { testCases[testCases.count - 1].failureText += string }
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?
    ) {
        if elementName == "failure" { inFailure = false }
    }
}

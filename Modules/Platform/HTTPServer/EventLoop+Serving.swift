import Platform

/// Serving one connection: parse what arrived, dispatch requests, write
/// responses in order, read more. Runs on the loop thread only.
extension EventLoop {
    /// Moves the connection as far forward as it can go without blocking.
    /// Called for every readiness event, finished response and timeout.
    func service(_ connection: Connection) {
        var budget = EventLoop.readBudget
        while true {
            if !connection.lingering {
                parseRequests(connection)
                let wasPaused = connection.isPaused
                guard flush(connection) else { return }
                if connection.isQuiet {
                    if connection.closeAfterFlush {
                        if connection.peerClosed {
                            close(connection)
                            return
                        }
                        guard beginLingering(connection) else { return }
                    } else if drainStartsNoFurtherRequest(on: connection) {
                        // Shutting down, and nothing is owed on this connection.
                        close(connection)
                        return
                    }
                }
                // Room again after writing: parse what is already buffered before reading more.
                if wasPaused && !connection.isPaused && !connection.lingering { continue }
            }

            let wantsInput = connection.lingering
                || ((connection.acceptsRequests || connection.parser.phase == .body)
                    && !connection.isPaused && !connection.peerClosed)
            guard wantsInput, connection.socketReadable else { break }
            guard budget > 0 else {
                readAgain.append((connection.fd, connection.id))
                break
            }
            let result: IOResult
            do {
                result = try Syscall.read(connection.fd, into: readBuffer)
            } catch {
                close(connection)  // reset by peer and the like: nothing more can be said
                return
            }
            switch result {
            case .wouldBlock:
                connection.socketReadable = false
            case .processed(0):
                guard peerClosedInput(connection) else { return }
            case .processed(let count):
                budget -= count
                if connection.lingering {
                    connection.lingerDiscarded += count
                    if connection.lingerDiscarded > EventLoop.lingerDiscardLimit {
                        close(connection)
                        return
                    }
                } else {
                    connection.parser.append(UnsafeRawBufferPointer(rebasing: readBuffer[0..<count]))
                }
            }
        }
        refreshDeadline(connection)
    }

    /// The client sent FIN. Returns false if the connection was closed.
    private func peerClosedInput(_ connection: Connection) -> Bool {
        connection.socketReadable = false
        if connection.lingering || connection.isQuiet {
            // Nothing owed (a truncated request gets no answer: the client is gone).
            close(connection)
            return false
        }
        // Answer what is in flight; a half-closed client may still read.
        connection.peerClosed = true
        connection.closeAfterFlush = true
        connection.refuseFurtherRequests()
        return true
    }

    private func parseRequests(_ connection: Connection) {
        while connection.acceptsRequests || connection.parser.phase == .body {
            if connection.isPaused { return }
            if drainStartsNoFurtherRequest(on: connection) {
                connection.acceptsRequests = false
                return
            }
            switch connection.parser.next() {
            case .needMore:
                return
            case .continueExpected:
                if connection.slots.isEmpty {
                    connection.output.append(contentsOf: ResponseEncoder.continueInterim)
                } else {
                    connection.continuePending = true
                }
            case .failure(let problem):
                connection.refuseFurtherRequests()
                respond(connection, with: .problem(problem), headRequest: false, persistence: .close)
                return
            case .request(let request, let keepAlive, let isHTTP10):
                connection.requestCount += 1
                let stopping = drainDeadline != nil || context.draining.load(ordering: .relaxed)
                let persistence: ResponseEncoder.Persistence =
                    !keepAlive || stopping ? .close : (isHTTP10 ? .keepAliveHTTP10 : .keepAlive)
                if persistence == .close { connection.acceptsRequests = false }
                dispatch(request, on: connection, persistence: persistence)
            }
        }
    }

    /// Shutting down: finish the request whose body is arriving, start no other. A
    /// connection not yet answered is the exception: it was accepted before the
    /// listener closed, so its client is sending its one request (a load balancer,
    /// after the lame duck's `connection: close`); closing it unanswered would fail
    /// a request no other instance got. The drain's deadline still bounds it.
    private func drainStartsNoFurtherRequest(on connection: Connection) -> Bool {
        drainDeadline != nil && connection.parser.phase != .body && connection.requestCount > 0
    }

    private func dispatch(_ request: HTTPRequest, on connection: Connection, persistence: ResponseEncoder.Persistence) {
        if context.draining.load(ordering: .relaxed), request.method == "GET",
            request.path == context.configuration.readinessPath
        {
            // Shutting down: the load balancer learns it here, whatever the handler would say.
            respond(connection, with: .problem(ProtocolProblem.shuttingDown), headRequest: false, persistence: persistence)
            return
        }
        let responder = context.responder
        if responder.runsOnIOThread(request) {
            respond(
                connection, with: responder.respond(to: request), headRequest: request.method == "HEAD",
                persistence: persistence)
            return
        }
        let sequence = connection.nextSequence
        connection.slots.append(Connection.ResponseSlot(bytes: nil))
        let job = WorkerJob(
            loop: self, fd: connection.fd, connectionID: connection.id, sequence: sequence, request: request,
            persistence: persistence)
        if !context.workers.submit(job) {
            // Overloaded: answer 503 and close, which also sheds this client's pipelined requests.
            var bytes: [UInt8] = []
            _ = ResponseEncoder.encode(
                .problem(ProtocolProblem.queueFull), headRequest: false, persistence: .close, into: &bytes)
            connection.slots[connection.slots.count - 1] = Connection.ResponseSlot(bytes: bytes, closeAfter: true)
            connection.refuseFurtherRequests()
        }
    }

    /// Queues a response produced on this thread behind any still being worked on.
    private func respond(
        _ connection: Connection, with response: HTTPResponse, headRequest: Bool,
        persistence: ResponseEncoder.Persistence
    ) {
        let closeAfter: Bool
        if connection.slots.isEmpty {
            // Nothing ahead of it: encode straight into the output buffer.
            if connection.pendingOutput == 0 { connection.lastWriteProgress = now }
            closeAfter = ResponseEncoder.encode(
                response, headRequest: headRequest, persistence: persistence, into: &connection.output)
            if closeAfter { connection.closeAfterFlush = true }
        } else {
            var bytes: [UInt8] = []
            closeAfter = ResponseEncoder.encode(response, headRequest: headRequest, persistence: persistence, into: &bytes)
            connection.slots.append(Connection.ResponseSlot(bytes: bytes, closeAfter: closeAfter))
        }
        if closeAfter { connection.refuseFurtherRequests() }
    }

    /// A worker's answer arrived: put it in its slot and write what is now in order.
    func deliver(_ finished: FinishedResponse) {
        guard let connection = connection(fd: finished.fd, id: finished.connectionID), !connection.lingering else {
            return
        }
        let offset = finished.sequence &- connection.firstSlotSequence
        guard offset < UInt64(connection.slots.count) else { return }
        connection.slots[Int(offset)] = Connection.ResponseSlot(bytes: finished.bytes, closeAfter: finished.closeAfter)
        service(connection)
    }

    /// Moves finished responses from the front of the slot queue to the
    /// output and writes. Returns false if the connection was closed.
    private func flush(_ connection: Connection) -> Bool {
        while let first = connection.slots.first, let bytes = first.bytes {
            _ = connection.slots.popFirst()
            connection.firstSlotSequence &+= 1
            if connection.pendingOutput == 0 {
                connection.lastWriteProgress = now
                if connection.outputSent > 0 { clearOutput(connection) }
                if connection.output.isEmpty {
                    connection.output = bytes  // no copy
                } else {
                    connection.output.append(contentsOf: bytes)
                }
            } else {
                connection.output.append(contentsOf: bytes)
            }
            if first.closeAfter {
                // Later pipelined requests will never be answered on this connection.
                connection.firstSlotSequence &+= UInt64(connection.slots.count)
                connection.slots.removeAll()
                connection.continuePending = false
                connection.closeAfterFlush = true
                connection.refuseFurtherRequests()
                break
            }
            if connection.slots.isEmpty && connection.continuePending {
                connection.continuePending = false
                connection.output.append(contentsOf: ResponseEncoder.continueInterim)
                connection.phaseStartedAt = now  // the client starts sending its body only now
            }
        }
        return write(connection)
    }

    private func write(_ connection: Connection) -> Bool {
        while connection.outputSent < connection.output.count {
            let sent = connection.outputSent
            let result = connection.output.withUnsafeBytes { bytes in
                Result { () throws(SystemCallError) -> IOResult in
                    try Syscall.send(connection.fd, UnsafeRawBufferPointer(rebasing: bytes[sent...]))
                }
            }
            switch result {
            case .success(.processed(let count)):
                connection.outputSent += count
                connection.lastWriteProgress = now
            case .success(.wouldBlock):
                return true  // EPOLLOUT will call us back
            case .failure:
                close(connection)
                return false
            }
        }
        if connection.outputSent > 0 {
            clearOutput(connection)
            connection.idleSince = now
        }
        return true
    }

    private func clearOutput(_ connection: Connection) {
        if connection.output.capacity > Connection.retainedOutputCapacity {
            connection.output = []
        } else {
            connection.output.removeAll(keepingCapacity: true)
        }
        connection.outputSent = 0
    }

    /// Recomputes the one deadline this connection is under.
    func refreshDeadline(_ connection: Connection) {
        let phase = connection.parser.phase
        if phase != connection.trackedPhase {
            connection.trackedPhase = phase
            connection.phaseStartedAt = now
        }
        let deadline: UInt64
        let kind: Connection.DeadlineKind
        if connection.lingering {
            (deadline, kind) = (connection.lingerDeadline, .linger)
        } else if connection.pendingOutput > 0 {
            (deadline, kind) = (connection.lastWriteProgress &+ context.idleTimeout, .write)
        } else if connection.isPaused || connection.continuePending || (!connection.acceptsRequests && phase != .body) {
            (deadline, kind) = (.max, .none)  // waiting on handlers, not on the client
        } else if phase == .body {
            (deadline, kind) = (connection.phaseStartedAt &+ context.bodyTimeout, .body)
        } else if phase == .head || connection.requestCount == 0 {
            // The first request is timed from the connection opening, later ones from their first byte.
            let start = connection.requestCount == 0 ? connection.openedAt : connection.phaseStartedAt
            (deadline, kind) = (start &+ context.headerTimeout, .head)
        } else if !connection.slots.isEmpty {
            (deadline, kind) = (.max, .none)
        } else {
            (deadline, kind) = (max(connection.idleSince, connection.phaseStartedAt) &+ context.idleTimeout, .idle)
        }
        connection.deadline = deadline
        connection.deadlineKind = kind
        if deadline < nextSweep { nextSweep = deadline }
    }

    /// The connection's deadline passed.
    func expire(_ connection: Connection) {
        switch connection.deadlineKind {
        case .head, .body:
            connection.refuseFurtherRequests()
            respond(connection, with: .problem(ProtocolProblem.requestTimeout), headRequest: false, persistence: .close)
            service(connection)
        case .idle, .write, .linger:
            close(connection)
        case .none:
            refreshDeadline(connection)
        }
    }
}

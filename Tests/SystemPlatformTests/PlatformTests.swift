import Foundation
import SystemPlatform
import Testing

// One test (or more) for every function of the platform layer. They run on Linux here; on
// macOS they run the Darwin branches, which no machine of this project's CI can compile.

@Suite("Platform: clock, locks and timed waits")
struct ClockAndLockTests {
    @Test func theMonotonicClockMovesForwardWithTime() {
        let start = monotonicNanoseconds()
        usleep(20_000)
        let elapsed = monotonicNanoseconds() - start
        #expect(elapsed >= 20_000_000)
        #expect(elapsed < 2_000_000_000)
    }

    @Test func aMutexForShortCriticalSectionsExcludesOtherThreads() {
        let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        #expect(initializeMutexForShortCriticalSections(mutex) == 0)
        defer { pthread_mutex_destroy(mutex); mutex.deallocate() }
        let counter = UnsafeMutablePointer<Int>.allocate(capacity: 1)
        counter.initialize(to: 0)
        defer { counter.deallocate() }
        let shared = SharedPointers(mutex: mutex, counter: counter)
        let threads = (0..<4).map { index in
            try! startThread(named: "count-\(index)") {
                for _ in 0..<20_000 {
                    pthread_mutex_lock(shared.mutex)
                    shared.counter.pointee += 1
                    pthread_mutex_unlock(shared.mutex)
                }
            }.get()
        }
        threads.forEach { $0.join() }
        #expect(counter.pointee == 80_000)
    }

    @Test func aTimedWaitEndsAtItsDeadlineWhenNobodySignals() {
        let (mutex, condition) = makeConditionPair()
        defer { destroy(mutex, condition) }
        let start = monotonicNanoseconds()
        let deadline = start + 50_000_000
        pthread_mutex_lock(mutex)
        var signalled = true
        while monotonicNanoseconds() < deadline {
            signalled = wait(on: condition, releasing: mutex, until: deadline)
            if !signalled { break }
        }
        pthread_mutex_unlock(mutex)
        let elapsed = monotonicNanoseconds() - start
        #expect(!signalled, "the wait reports that its time ran out")
        #expect(elapsed >= 50_000_000, "not before the deadline")
        #expect(elapsed < 1_000_000_000, "soon after it (a wall-clock mix-up would wait for ever or not at all)")
    }

    @Test func aTimedWaitEndsEarlyWhenSignalled() throws {
        let (mutex, condition) = makeConditionPair()
        defer { destroy(mutex, condition) }
        let shared = ConditionPointers(mutex: mutex, condition: condition)
        let start = monotonicNanoseconds()
        pthread_mutex_lock(mutex)
        let signaller = try startThread(named: "signaller") {
            usleep(20_000)
            pthread_mutex_lock(shared.mutex)
            pthread_cond_signal(shared.condition)
            pthread_mutex_unlock(shared.mutex)
        }.get()
        let signalled = wait(on: condition, releasing: mutex, until: start + 10_000_000_000)
        pthread_mutex_unlock(mutex)
        signaller.join()
        #expect(signalled)
        #expect(monotonicNanoseconds() - start < 5_000_000_000)
    }

    @Test func aDeadlineInThePastTimesOutAtOnce() {
        let (mutex, condition) = makeConditionPair()
        defer { destroy(mutex, condition) }
        pthread_mutex_lock(mutex)
        let signalled = wait(on: condition, releasing: mutex, until: monotonicNanoseconds() - 1_000_000_000)
        pthread_mutex_unlock(mutex)
        #expect(!signalled)
    }
}

@Suite("Platform: threads")
struct ThreadTests {
    @Test func aStartedThreadRunsItsBodyUnderItsNameAndCanBeJoined() throws {
        let seen = Box<(name: String, id: UInt64)?>(nil)
        let thread = try startThread(named: "platform-test") {
            seen.value = (currentThreadName(), currentThreadID())
        }.get()
        thread.join()
        #expect(seen.value?.name == "platform-test")
        #expect(seen.value?.id != currentThreadID())
        #expect(!thread.isCurrentThread)
    }

    @Test func aThreadKnowsItsOwnHandle() throws {
        let handle = Box<ThreadHandle?>(nil)
        let answer = Box<Bool?>(nil)
        let gate = DispatchSemaphore(value: 0)
        let thread = try startThread(named: "self-aware") {
            gate.wait()
            answer.value = handle.value?.isCurrentThread
        }.get()
        handle.value = thread
        gate.signal()
        thread.join()
        #expect(answer.value == true)
    }

    @Test func aDetachedThreadStillRuns() throws {
        let done = DispatchSemaphore(value: 0)
        try startThread(named: "detached") { done.signal() }.get().detach()
        #expect(done.wait(timeout: .now() + 5) == .success)
    }

    @Test func threadsGetAnEightMebibyteStack() throws {
        let size = Box<Int>(0)
        let thread = try startThread(named: "stack") {
            #if canImport(Darwin)
            size.value = pthread_get_stacksize_np(pthread_self())
            #else
            var attributes = pthread_attr_t()
            pthread_getattr_np(pthread_self(), &attributes)
            var bytes = 0
            pthread_attr_getstacksize(&attributes, &bytes)
            pthread_attr_destroy(&attributes)
            size.value = bytes
            #endif
        }.get()
        thread.join()
        #expect(size.value >= threadStackSize)
    }

    @Test func longNamesAreCutToWhatTheSystemKeepsAtACharacterBoundary() throws {
        let name = Box("")
        // 14 ASCII bytes, then "é" (2 bytes) would end at byte 16: it must be dropped whole.
        let thread = try startThread(named: "abcdefghijklmné-more") { name.value = currentThreadName() }.get()
        thread.join()
        #expect(name.value.utf8.count <= maximumThreadNameLength)
        #expect("abcdefghijklmné-more".hasPrefix(name.value))
        #expect(name.value.hasPrefix("abcdefghijklmn"))
        #if !canImport(Darwin)
        #expect(name.value == "abcdefghijklmn")
        #endif
    }

    @Test func setCurrentThreadNameRenamesTheCallingThread() throws {
        let name = Box("")
        let thread = try startThread(named: "before") {
            setCurrentThreadName("after")
            name.value = currentThreadName()
        }.get()
        thread.join()
        #expect(name.value == "after")
    }

    @Test func theProcessorCountIsWhatTheSystemOffers() {
        let count = availableProcessorCount()
        #expect(count >= 1)
        #expect(count <= Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    @Test func snapshotsListEveryThreadWithItsNameAndState() throws {
        let parked = DispatchSemaphore(value: 0)
        let started = DispatchSemaphore(value: 0)
        let id = Box<UInt64>(0)
        let thread = try startThread(named: "snapshot-me") {
            id.value = currentThreadID()
            started.signal()
            parked.wait()
        }.get()
        started.wait()
        usleep(20_000)  // let it fall asleep in `wait`
        let snapshot = try #require(threadSnapshot(id: id.value))
        #expect(snapshot.name == "snapshot-me")
        #expect(snapshot.state == .waiting)
        #expect(threadSnapshots().contains { $0.id == id.value })
        #expect(threadSnapshots().contains { $0.id == currentThreadID() && $0.state == .running })
        #expect(threadCount() >= 2)
        parked.signal()
        thread.join()
        #expect(threadSnapshot(id: id.value) == nil, "a joined thread is gone")
    }
}

@Suite("Platform: descriptors and sockets")
struct DescriptorTests {
    @Test(arguments: [false, true])
    func pipesAreCloseOnExecAndNonBlockingWhenAsked(nonBlocking: Bool) {
        var ends: [Int32] = [-1, -1]
        #expect(makePipe(&ends, nonBlocking: nonBlocking) == 0)
        defer { close(ends[0]); close(ends[1]) }
        for end in ends {
            #expect(fcntl(end, F_GETFD) & FD_CLOEXEC != 0)
            #expect((fcntl(end, F_GETFL) & O_NONBLOCK != 0) == nonBlocking)
        }
    }

    @Test func socketPairsCarryBytesAndAreCloseOnExec() {
        var ends: [Int32] = [-1, -1]
        #expect(makeSocketPair(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        #expect(ends.allSatisfy { fcntl($0, F_GETFD) & FD_CLOEXEC != 0 })
        let sent = [UInt8]("ping".utf8).withUnsafeBytes { sendWithoutSignal(ends[0], $0.baseAddress!, $0.count) }
        #expect(sent == 4)
        var buffer = [UInt8](repeating: 0, count: 16)
        let received = buffer.withUnsafeMutableBytes { read(ends[1], $0.baseAddress, $0.count) }
        #expect(Array(buffer[..<max(0, received)]) == Array("ping".utf8))
    }

    @Test func writingToAClosedPeerFailsWithEPIPEInsteadOfKillingTheProcess() {
        var ends: [Int32] = [-1, -1]
        #expect(makeSocketPair(&ends) == 0)
        close(ends[1])
        defer { close(ends[0]) }
        let sent = [UInt8](repeating: 1, count: 8).withUnsafeBytes { sendWithoutSignal(ends[0], $0.baseAddress!, $0.count) }
        #expect(sent == -1)
        #expect(errno == EPIPE)
    }

    @Test func aTCPServerAndClientConnectOnLoopback() throws {
        let listener = makeTCPSocket()
        #expect(listener >= 0)
        defer { close(listener) }
        #expect(fcntl(listener, F_GETFD) & FD_CLOEXEC != 0)
        #expect(fcntl(listener, F_GETFL) & O_NONBLOCK != 0)
        var failedCall = ""
        let loopback = try #require(ipv4Address(host: "127.0.0.1", port: 0))
        #expect(bindAndListen(listener, to: loopback, backlog: 8, failedCall: &failedCall) == 0, "\(failedCall)")
        let bound = try #require(boundAddress(of: listener))
        let port = UInt16(bigEndian: bound.sin_port)
        #expect(port != 0)

        let client = makeTCPSocket()
        defer { close(client) }
        let connected = connectSocket(client, to: try #require(ipv4Address(host: "127.0.0.1", port: port)))
        #expect(connected == 0 || errno == EINPROGRESS)

        var accepted: Int32 = -1
        for _ in 0..<500 where accepted < 0 {
            accepted = acceptConnection(on: listener)
            if accepted < 0 { usleep(2_000) }
        }
        #expect(accepted >= 0)
        defer { close(accepted) }
        #expect(fcntl(accepted, F_GETFD) & FD_CLOEXEC != 0)
        #expect(fcntl(accepted, F_GETFL) & O_NONBLOCK != 0)
    }

    @Test func anAddressNeedsADottedQuad() {
        #expect(ipv4Address(host: "localhost", port: 80) == nil)
        #expect(ipv4Address(host: "10.0.0.300", port: 80) == nil)
        #expect(ipv4Address(host: "10.0.0.3", port: 80)?.sin_port == UInt16(80).bigEndian)
    }

    @Test func bindingAPortInUseSaysWhichCallFailed() throws {
        let first = makeTCPSocket(), second = makeTCPSocket()
        defer { close(first); close(second) }
        var failedCall = ""
        #expect(bindAndListen(first, to: try #require(ipv4Address(host: "127.0.0.1", port: 0)), backlog: 1, failedCall: &failedCall) == 0)
        let port = UInt16(bigEndian: try #require(boundAddress(of: first)).sin_port)
        let taken = try #require(ipv4Address(host: "127.0.0.1", port: port))
        #expect(bindAndListen(second, to: taken, backlog: 1, failedCall: &failedCall) == -1)
        #expect(errno == EADDRINUSE)
        #expect(failedCall == "bind")
    }

    @Test func setNonBlockingAndSetCloseOnExecSetTheirFlags() {
        var ends: [Int32] = [-1, -1]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        #expect(setNonBlocking(ends[0]))
        setCloseOnExec(ends[0])
        #expect(fcntl(ends[0], F_GETFL) & O_NONBLOCK != 0)
        #expect(fcntl(ends[0], F_GETFD) & FD_CLOEXEC != 0)
        #expect(!setNonBlocking(-1))
    }

    @Test func theOpenDescriptorCountFollowsOpenAndClose() {
        #expect(openDescriptorCount() >= 3)
        // Other tests open and close descriptors at the same time: try until one round sees
        // only this test's pipe come and go.
        var followed = false
        for _ in 0..<50 where !followed {
            let before = openDescriptorCount()
            var ends: [Int32] = [-1, -1]
            guard makePipe(&ends) == 0 else { break }
            let during = openDescriptorCount()
            close(ends[0]); close(ends[1])
            followed = during == before + 2 && openDescriptorCount() == before
        }
        #expect(followed)
    }
}

@Suite("Platform: processes")
struct ProcessTests {
    /// Runs `/bin/sh -c script` with standard output to a pipe; returns the output and how the
    /// shell ended.
    private func runShell(_ script: String, extra: [ChildDescriptor] = []) throws -> (output: String, status: Int32) {
        var ends: [Int32] = [-1, -1]
        #expect(makePipe(&ends) == 0)
        let pid = try spawnProcess(
            executable: "/bin/sh", arguments: ["sh", "-c", script], environment: currentEnvironment(),
            descriptors: [.nullDevice, .copy(of: ends[1]), .inherited] + extra
        ).get()
        close(ends[1])
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(ends[0], $0.baseAddress, $0.count) }
            if count > 0 { output += buffer[..<count] } else if count == 0 || errno != EINTR { break }
        }
        close(ends[0])
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        return (String(decoding: output, as: UTF8.self), status)
    }

    @Test func aSpawnedProgramGetsItsDescriptorsAndOutputReachesUs() throws {
        let result = try runShell("echo hello")
        #expect(result.output == "hello\n")
        #expect(result.status == 0)
    }

    @Test func aSpawnedProgramInheritsNoOtherDescriptor() throws {
        // A descriptor without close-on-exec, as a careless library would leave one.
        var leaky: [Int32] = [-1, -1]
        #expect(pipe(&leaky) == 0)
        defer { close(leaky[0]); close(leaky[1]) }
        let highest = max(leaky[0], leaky[1])
        let result = try runShell("if [ -e /dev/fd/\(highest) ]; then echo leaked; else echo closed; fi; [ -e /dev/fd/3 ] && echo three")
        #expect(result.output == "closed\nthree\n" || result.output == "closed\n")
        // What is listed is passed on: descriptor 3 as a copy of the leaky pipe's write end.
        let listed = try runShell("echo via-three >&3", extra: [.copy(of: leaky[1])])
        #expect(listed.status == 0)
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = buffer.withUnsafeMutableBytes { read(leaky[0], $0.baseAddress, $0.count) }
        #expect(String(decoding: buffer[..<max(0, count)], as: UTF8.self) == "via-three\n")
    }

    @Test func aProgramThatDoesNotExistIsAnErrorNamingIt() {
        let result = spawnProcess(executable: "/no/such/program", arguments: ["x"], environment: [], descriptors: [])
        guard case .failure(let error) = result else {
            Issue.record("spawned a program that does not exist")
            return
        }
        #expect(error.code == ENOENT)
        #expect(error.description.contains("/no/such/program"))
    }

    @Test func theEnvironmentIsPassedAsGiven() throws {
        setenv("PLATFORM_TEST_VARIABLE", "forty-two", 1)
        defer { unsetenv("PLATFORM_TEST_VARIABLE") }
        #expect(currentEnvironment().contains("PLATFORM_TEST_VARIABLE=forty-two"))
        let result = try runShell("echo $PLATFORM_TEST_VARIABLE")
        #expect(result.output == "forty-two\n")
    }

    @Test func aChildIsAliveThenAZombieThenCollected() throws {
        let pid = try spawnProcess(
            executable: "/bin/sh", arguments: ["sh", "-c", "sleep 0.2"], environment: [],
            descriptors: [.nullDevice, .nullDevice, .nullDevice]
        ).get()
        #expect(childProcessState(pid) == .alive)
        var becameZombie = false
        for _ in 0..<500 where !becameZombie {
            usleep(10_000)
            becameZombie = childProcessState(pid) == .zombie
        }
        #expect(becameZombie)
        var status: Int32 = 0
        #expect(waitpid(pid, &status, 0) == pid)
        #expect(childProcessState(pid) == .collected)
        #expect(childProcessState(1) == .collected, "pid 1 is not our child")
    }

    @Test func theExecutablePathIsAbsoluteAndExists() throws {
        let path = try #require(executablePath())
        #expect(path.hasPrefix("/"))
        #expect(access(path, X_OK) == 0)
    }

    @Test func theProductsDirectoryHoldsThePackagesOtherExecutables() throws {
        let directory = try #require(productsDirectory(containing: #dsohandle))
        #expect(directory.hasPrefix("/"))
        #expect(access(directory + "/ProcessPoolWorker", X_OK) == 0)
    }

    @Test func residentMemoryGrowsWhenPagesAreTouched() {
        let before = residentMemoryBytes()
        #expect(before > 0)
        let size = 64 << 20
        let block = malloc(size)!
        defer { free(block) }
        memset(block, 1, size)
        #expect(residentMemoryBytes() >= before + size / 2)
    }

    @Test func cpuTimeGrowsWithWork() {
        let before = resourceUsage(of: .currentProcess).cpu
        var value = 1
        let start = monotonicNanoseconds()
        while monotonicNanoseconds() - start < 50_000_000 { value = value &* 31 &+ 7 }
        #expect(value != 0)
        #expect(resourceUsage(of: .currentProcess).cpu > before)
        #expect(resourceUsage(of: .collectedChildren).cpu >= .zero)
    }

    @Test func signalDispositionsAndSymbolsCanBeReadBack() {
        #expect(signalHandlerAddress(SIGPIPE) == 0, "this test process keeps SIGPIPE's default action")
        #expect(isSymbolLoaded("malloc"))
        #expect(!isSymbolLoaded("surely_no_image_defines_this_symbol"))
        #if canImport(Darwin)
        #expect(isSymbolLoaded("__stdoutp"))
        #else
        #expect(isSymbolLoaded("stdout"))
        #endif
        lineBufferStandardOutput()  // must find `stdout` through the dynamic linker, not crash
    }
}

// MARK: - Helpers

/// A value shared between a test and the threads it starts (each test synchronizes by joining).
private final class Box<Value>: @unchecked Sendable {
    var value: Value
    init(_ value: Value) { self.value = value }
}

private struct SharedPointers: @unchecked Sendable {
    let mutex: UnsafeMutablePointer<pthread_mutex_t>
    let counter: UnsafeMutablePointer<Int>
}

private struct ConditionPointers: @unchecked Sendable {
    let mutex: UnsafeMutablePointer<pthread_mutex_t>
    let condition: UnsafeMutablePointer<pthread_cond_t>
}

private func makeConditionPair() -> (UnsafeMutablePointer<pthread_mutex_t>, UnsafeMutablePointer<pthread_cond_t>) {
    let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    mutex.initialize(to: pthread_mutex_t())
    pthread_mutex_init(mutex, nil)
    let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    condition.initialize(to: pthread_cond_t())
    precondition(initializeMonotonicCondition(condition) == 0)
    return (mutex, condition)
}

private func destroy(_ mutex: UnsafeMutablePointer<pthread_mutex_t>, _ condition: UnsafeMutablePointer<pthread_cond_t>) {
    pthread_cond_destroy(condition)
    pthread_mutex_destroy(mutex)
    condition.deallocate()
    mutex.deallocate()
}

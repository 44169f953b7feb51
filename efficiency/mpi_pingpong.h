// efficiency/mpi_pingpong.h — a message and its echo, between two processes through pipes
// and between two threads through shared memory: what MPI's ping-pong is compared with.
//
// The tutorial says of processes "进程之间数据通信不方便" and of threads "线程之间数据通信方便".
// A ping-pong makes the difference a number: one side sends `bytes` bytes, the other
// sends them straight back, `rounds` times; half a round trip is the one-way time
// (latency for small messages), and bytes / one-way time is the bandwidth for large ones.
//
//   PipePingPong     two processes (this one and a forked child) and two pipes, the way
//                    //process:address_space returns a result: each message is copied
//                    into the kernel by write(2) and out of it by read(2), and the reader
//                    sleeps in the kernel until the bytes arrive.
//   ThreadPingPong   two threads of this process: the message is written once into
//                    memory both threads see, and the other thread reads it there. The
//                    waiting side spins on an atomic flag (as MPI's shared-memory
//                    transport polls), yielding the core after 20 us so that one usable
//                    core still works.
//
// Both check the echo: the last reply must equal, byte for byte, what was sent (the reply
// buffer is filled with other bytes first, so a message that never came back fails).
// `rounds` are timed after rounds / 10 (at least 1) untimed warm-up round trips; the
// threads warm up for at least 20 ms too (a new thread starts on its creator's core, and
// the scheduler takes a few milliseconds to move it to a free one).
#ifndef EFFICIENCY_MPI_PINGPONG_H_
#define EFFICIENCY_MPI_PINGPONG_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "efficiency/mpi_protocol.h"

namespace efficiency::mpi {

// The bytes a ping-pong sends: a pattern that differs with the size, so that a reply of
// another message could not pass for this one.
void FillMessage(std::vector<char>& message);

// Untimed warm-up round trips before `rounds` timed ones.
int WarmupRounds(int rounds);

// Errors: the child or a thread could not be started (ResourceExhausted names the
// limit), a pipe failed, the echo process ended early (Internal, saying how).
absl::StatusOr<PingPong> PipePingPong(int64_t bytes, int rounds);
absl::StatusOr<PingPong> ThreadPingPong(int64_t bytes, int rounds);

}  // namespace efficiency::mpi

#endif  // EFFICIENCY_MPI_PINGPONG_H_

package io.ctxprop.telemetry.testing;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.TraceServiceGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** A stand-in for Arize's OTLP/gRPC endpoint: a plaintext gRPC server that keeps requests and their metadata. */
public final class OtlpGrpcReceiver implements AutoCloseable {

    public record Received(Map<String, String> headers, ExportTraceServiceRequest request) {
    }

    private final Server server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final ThreadLocal<Metadata> callHeaders = new ThreadLocal<>();

    public OtlpGrpcReceiver() throws IOException {
        var service = new TraceServiceGrpc.TraceServiceImplBase() {
            @Override
            public void export(ExportTraceServiceRequest request, StreamObserver<ExportTraceServiceResponse> response) {
                received.add(new Received(asMap(callHeaders.get()), request));
                response.onNext(ExportTraceServiceResponse.getDefaultInstance());
                response.onCompleted();
            }
        };
        server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .directExecutor()
                .addService(ServerInterceptors.intercept(service, new HeaderCapture()))
                .build()
                .start();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getPort();
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    public ReceivedSpans spans() {
        return ReceivedSpans.of(received.stream().map(Received::request).toList());
    }

    private static Map<String, String> asMap(Metadata metadata) {
        return metadata.keys().stream()
                .filter(key -> !key.endsWith(Metadata.BINARY_HEADER_SUFFIX))
                .collect(Collectors.toMap(key -> key,
                        key -> metadata.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER))));
    }

    /** Hands each call's metadata to the service method, which runs on the same thread (direct executor). */
    private final class HeaderCapture implements ServerInterceptor {
        @Override
        public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            var delegate = next.startCall(call, headers);
            return new io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
                @Override
                public void onHalfClose() {
                    callHeaders.set(headers);
                    try {
                        super.onHalfClose();
                    } finally {
                        callHeaders.remove();
                    }
                }
            };
        }
    }

    @Override
    public void close() {
        server.shutdownNow();
    }
}

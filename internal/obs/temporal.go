package obs

import (
	"context"
	"fmt"
	"sync"
	"time"

	otelprom "go.opentelemetry.io/otel/exporters/prometheus"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/client"
	temporalotel "go.temporal.io/sdk/contrib/opentelemetry"
	"go.temporal.io/sdk/interceptor"
)

var (
	temporalOnce    sync.Once
	temporalHandler client.MetricsHandler
	temporalErr     error
)

// TemporalMetrics is the Temporal SDK's metrics handler, bridged to Registry through
// OpenTelemetry's Prometheus exporter: the SDK's series (requests, polls, workflow and
// activity latencies, sticky cache) appear as awardflow_temporal_*.
func TemporalMetrics() (client.MetricsHandler, error) {
	temporalOnce.Do(func() {
		exp, err := otelprom.New(otelprom.WithRegisterer(Registry), otelprom.WithNamespace("awardflow"),
			otelprom.WithoutScopeInfo(), otelprom.WithoutTargetInfo())
		if err != nil {
			temporalErr = fmt.Errorf("metrics: the Temporal SDK's exporter: %w", err)
			return
		}
		seconds := sdkmetric.NewView(sdkmetric.Instrument{Name: "*", Kind: sdkmetric.InstrumentKindHistogram},
			sdkmetric.Stream{Aggregation: sdkmetric.AggregationExplicitBucketHistogram{Boundaries: latencyBuckets}})
		mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(exp), sdkmetric.WithView(seconds))
		temporalHandler = temporalotel.NewMetricsHandler(temporalotel.MetricsHandlerOptions{
			Meter: mp.Meter("temporal-sdk-go"), UseMonotonicCounters: true,
			OnError: func(error) {}, // a metric that cannot be made is not worth a crash
		})
	})
	return temporalHandler, temporalErr
}

// TemporalInterceptors are the client's interceptors: OpenTelemetry tracing from the
// caller's span (the HTTP request) through the workflow to its activities. The same
// interceptor serves the workers made from the client.
func TemporalInterceptors() ([]interceptor.ClientInterceptor, error) {
	tr, err := temporalotel.NewTracingInterceptor(temporalotel.TracerOptions{})
	if err != nil {
		return nil, fmt.Errorf("tracing interceptor: %w", err)
	}
	return []interceptor.ClientInterceptor{tr}, nil
}

// ActivityMetrics is the worker interceptor that times every activity attempt
// (awardflow_activity_duration_seconds{activity_type, outcome}).
func ActivityMetrics() interceptor.WorkerInterceptor { return &activityMetrics{} }

type activityMetrics struct {
	interceptor.WorkerInterceptorBase
}

func (*activityMetrics) InterceptActivity(ctx context.Context, next interceptor.ActivityInboundInterceptor) interceptor.ActivityInboundInterceptor {
	return &activityInbound{ActivityInboundInterceptorBase: interceptor.ActivityInboundInterceptorBase{Next: next}}
}

type activityInbound struct {
	interceptor.ActivityInboundInterceptorBase
}

func (a *activityInbound) ExecuteActivity(ctx context.Context, in *interceptor.ExecuteActivityInput) (any, error) {
	start := time.Now()
	out, err := a.Next.ExecuteActivity(ctx, in)
	ObserveActivity(activity.GetInfo(ctx).ActivityType.Name, time.Since(start), err)
	return out, err
}

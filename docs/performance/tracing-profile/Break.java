import jdk.jfr.consumer.*;
import java.nio.file.*;
import java.time.*;
import java.util.*;
public class Break {
    public static void main(String[] a) throws Exception {
        Instant from = Instant.parse(a[0]); String prefix = a[1]; int depth = Integer.parseInt(a[2]);
        Map<String,Integer> m = new HashMap<>(); int total=0, hits=0;
        try (RecordingFile rf = new RecordingFile(Path.of(a[3]))) {
            while (rf.hasMoreEvents()) {
                RecordedEvent e = rf.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStartTime().isBefore(from) || e.getStackTrace()==null) continue;
                total++;
                var fr = e.getStackTrace().getFrames();
                int idx=-1;
                for (int i=fr.size()-1;i>=0;i--) { String c=fr.get(i).getMethod().getType().getName(); if (c.startsWith(prefix)) { idx=i; break; } }
                if (idx<0) continue; hits++;
                // path from outermost prefix frame toward leaf, 'depth' frames
                StringBuilder sb=new StringBuilder();
                for (int i=idx;i>=Math.max(0,idx-depth+1);i--) { var f=fr.get(i); sb.append(f.getMethod().getType().getName().replaceAll("^.*\\.","")).append('.').append(f.getMethod().getName()).append(" > "); }
                m.merge(sb.toString(),1,Integer::sum);
            }
        }
        System.out.printf("total %d, with %s: %d (%.1f%%)%n", total, prefix, hits, 100.0*hits/total);
        final int t=total;
        m.entrySet().stream().sorted(Map.Entry.<String,Integer>comparingByValue().reversed()).limit(Integer.parseInt(a[4])).forEach(en->System.out.printf("%5d %5.1f%% %s%n", en.getValue(), 100.0*en.getValue()/t, en.getKey()));
    }
}

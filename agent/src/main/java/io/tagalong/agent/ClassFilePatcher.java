package io.tagalong.agent;

import io.tagalong.bootstrap.StateField;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The agent's class-file patcher: one pass over the bytes, four small classes, no bytecode library (ASM took ~20 ms
 * of every start to load, verify and run interpreted, for one patch). It does what the patches need and no more:
 * <ul>
 * <li>appends constant-pool entries (existing indexes keep their meaning, so everything not patched is copied);
 * <li>inserts straight-line code at a method's entry and before its normal returns ({@link MethodPatch});
 * <li>adds the state field, the {@code StateField.Carrier} interface and its two accessors, and the methods and
 * interface of the spec's {@link InstrumentationSpec.Delegates}.
 * </ul>
 * Inserted code is padded with NOPs to a multiple of 4 bytes, so every instruction keeps its alignment and length
 * (a switch's padding stays valid, no branch needs widening): patching a method is remapping offsets, in branches,
 * switches, the exception table, stack-map frames (offset deltas and uninitialized(offset) types), line numbers and
 * local variables. The inserted code leaves the operand stack and locals as it found them, so the frames' contents
 * stay true. A branch to the entry lands after the entry code, a branch to a return lands on the code before it (as
 * with ASM). Type annotations inside a method's code are dropped (reflection never shows them).
 */
final class ClassFilePatcher {
    private static final String CARRIER = "io/tagalong/bootstrap/StateField$Carrier";
    private static final String OBJECT = "Ljava/lang/Object;";

    private final byte[] b;
    private final int[] cp; // offset of each constant's tag byte
    private final int poolEnd, interfacesAt, fieldsAt, methodsAt, attributesAt;
    private final int access, thisClass;
    /** Offset of each method's Code attribute, -1 for none. Names are compared as bytes: nothing is decoded. */
    private int[] code;
    private boolean referencesTagalong;

    ClassFilePatcher(byte[] classfile) {
        b = classfile;
        if (u4(0) != 0xCAFEBABE) throw new IllegalArgumentException("not a class file");
        cp = new int[u2(8)];
        int at = 10;
        for (int i = 1; i < cp.length; i++) {
            cp[i] = at;
            int tag = b[at] & 0xFF;
            switch (tag) {
                case 1: at += 3 + u2(at + 1); break;
                case 5: case 6: at += 9; i++; break;
                case 3: case 4: case 9: case 10: case 11: case 12: case 17: case 18: at += 5; break;
                case 7: case 8: case 16: case 19: case 20: at += 3; break;
                case 15: at += 4; break;
                default: throw new IllegalArgumentException("constant tag " + tag);
            }
        }
        for (int i = 1; i < cp.length; i++) {
            if (cp[i] != 0 && b[cp[i]] == 7 && startsWith(u2(cp[i] + 1), TAGALONG)) referencesTagalong = true;
        }
        poolEnd = at;
        access = u2(at);
        thisClass = u2(at + 2);
        interfacesAt = at + 6;
        at = fieldsAt = interfacesAt + 2 + 2 * u2(interfacesAt);
        at = methodsAt = skipMembers(at);
        code = new int[u2(at)];
        at += 2;
        for (int m = 0; m < code.length; m++) {
            code[m] = -1;
            int attributes = u2(at + 6);
            at += 8;
            for (int a = 0; a < attributes; a++) {
                if (equals(u2(at), CODE)) code[m] = at;
                at += 6 + u4(at + 2);
            }
        }
        attributesAt = at;
    }

    private int skipMembers(int at) {
        int count = u2(at);
        at += 2;
        for (int m = 0; m < count; m++) {
            int attributes = u2(at + 6);
            at += 8;
            for (int a = 0; a < attributes; a++) at += 6 + u4(at + 2);
        }
        return at;
    }

    private static final byte[] TAGALONG = ascii("io/tagalong/"), CODE = ascii("Code");

    private static byte[] ascii(String s) {
        byte[] bytes = new byte[s.length()];
        for (int i = 0; i < bytes.length; i++) bytes[i] = (byte) s.charAt(i);
        return bytes;
    }

    /** The Utf8 constant {@code index} starts with these bytes. */
    private boolean startsWith(int index, byte[] prefix) {
        int at = cp[index];
        if (u2(at + 1) < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) if (b[at + 3 + i] != prefix[i]) return false;
        return true;
    }

    private boolean equals(int index, byte[] bytes) {
        return u2(cp[index] + 1) == bytes.length && startsWith(index, bytes);
    }

    /** The Utf8 constant {@code index} is {@code s} (names here are ASCII; anything else is decoded). */
    private boolean equals(int index, String s) {
        int at = cp[index], length = u2(at + 1);
        if (length == s.length()) {
            for (int i = 0; i < length; i++) {
                if (b[at + 3 + i] != s.charAt(i)) return i > 0 && b[at + 3 + i] < 0 && utf8(index).equals(s);
            }
            return true;
        }
        return length > s.length() && utf8(index).equals(s);
    }

    /** Index of the method with code named so, or -1. */
    private int method(String name, String descriptor) {
        for (int m = 0, at = methodsAt + 2; m < code.length; m++) {
            if (code[m] >= 0 && equals(u2(at + 2), name) && equals(u2(at + 4), descriptor)) return m;
            int attributes = u2(at + 6);
            at += 8;
            for (int a = 0; a < attributes; a++) at += 6 + u4(at + 2);
        }
        return -1;
    }

    boolean isInterface() {
        return (access & 0x0200) != 0;
    }

    /** The class calls or implements something of Tagalong's already: another copy of the agent patched it. */
    boolean referencesTagalong() {
        return referencesTagalong;
    }

    /** The class declares this method with code (not abstract or native). */
    boolean hasCode(String name, String descriptor) {
        return method(name, descriptor) >= 0;
    }

    boolean hasField(String name, String descriptor) {
        for (int f = 0, count = u2(fieldsAt), at = fieldsAt + 2; f < count; f++) {
            if (equals(u2(at + 2), name) && equals(u2(at + 4), descriptor)) return true;
            int attributes = u2(at + 6);
            at += 8;
            for (int a = 0; a < attributes; a++) at += 6 + u4(at + 2);
        }
        return false;
    }

    byte[] patch(Collection<MethodPatch> patches, boolean stateField) {
        return patch(patches, stateField, null);
    }

    /**
     * The class with {@code patches} (at most one a method, each method present with code) applied, and the state
     * field and {@code delegates} (or null) added if asked. Throws if a patch cannot be applied (then the class is left
     * as it is).
     */
    byte[] patch(Collection<MethodPatch> patches, boolean stateField, InstrumentationSpec.Delegates delegates) {
        if (!stateField) delegates = null;
        int addedInterfaces = (stateField ? 1 : 0) + (delegates != null ? 1 : 0);
        int addedMethods = (stateField ? 2 : 0) + (delegates != null ? delegates.methods.size() / 2 : 0);
        MethodPatch[] byMethod = new MethodPatch[code.length];
        for (MethodPatch patch : patches) byMethod[method(patch.methodName, patch.descriptor)] = patch;
        Pool pool = new Pool(cp.length, className(thisClass), thisClass);
        Bytes out = new Bytes(b.length + 512);
        out.put(b, 0, poolEnd); // the pool's count is rewritten at the end, after its appended constants
        out.put(b, poolEnd, 6); // access, this, super
        int interfaces = u2(interfacesAt);
        out.u2(interfaces + addedInterfaces).put(b, interfacesAt + 2, fieldsAt - interfacesAt - 2);
        if (stateField) out.u2(pool.constant(7, CARRIER, null, null));
        if (delegates != null) out.u2(pool.constant(7, delegates.interfaceName, null, null));
        int fields = u2(fieldsAt);
        out.u2(fields + (stateField ? 1 : 0)).put(b, fieldsAt + 2, methodsAt - fieldsAt - 2);
        int name = 0, field = 0;
        if (stateField) {
            name = pool.constant(1, StateField.FIELD, null, null);
            field = pool.constant(9, className(thisClass), StateField.FIELD, OBJECT);
            // private transient volatile synthetic: written on the thread that builds a request, read on the one that sends it
            out.u2(0x0002 | 0x0080 | 0x0040 | 0x1000).u2(name).u2(pool.constant(1, OBJECT, null, null)).u2(0);
        }
        int methods = u2(methodsAt);
        out.u2(methods + addedMethods);
        for (int m = 0, at = methodsAt + 2; m < methods; m++) {
            int start = at, attributes = u2(at + 6);
            at += 8;
            for (int a = 0; a < attributes; a++) at += 6 + u4(at + 2);
            MethodPatch patch = byMethod[m];
            if (patch == null) {
                out.put(b, start, at - start);
                continue;
            }
            out.put(b, start, 8);
            for (int a = start + 8; a < at; a += 6 + u4(a + 2)) {
                if (a == code[m]) patchCode(out, a, patch, stateField, pool);
                else out.put(b, a, 6 + u4(a + 2));
            }
        }
        if (stateField) {
            int code = pool.constant(1, "Code", null, null);
            // public synthetic Object tagalong$state() { return this.tagalong$state; }
            out.u2(0x0001 | 0x1000).u2(name).u2(pool.constant(1, "()" + OBJECT, null, null)).u2(1)
                    .u2(code).u4(12 + 5).u2(1).u2(1).u4(5).u1(0x2A).u1(0xB4).u2(field).u1(0xB0).u2(0).u2(0);
            // public synthetic void tagalong$state(Object state) { this.tagalong$state = state; }
            out.u2(0x0001 | 0x1000).u2(name).u2(pool.constant(1, "(" + OBJECT + ")V", null, null)).u2(1)
                    .u2(code).u4(12 + 6).u2(2).u2(2).u4(6).u1(0x2A).u1(0x2B).u1(0xB5).u2(field).u1(0xB1).u2(0).u2(0);
        }
        if (delegates != null) addDelegates(out, pool, delegates);
        out.put(b, attributesAt, b.length - attributesAt);
        if (pool.count > 0xFFFF) throw new IllegalStateException("constant pool full");
        out.set2(8, pool.count);
        return new Bytes(out.size + pool.size).put(out.data, 0, poolEnd).put(pool.data, 0, pool.size)
                .put(out.data, poolEnd, out.size - poolEnd).toByteArray();
    }

    /**
     * {@code public synthetic R tagalong$m(A1 a1, ...) { return this.field.m(a1, ...); }} for each method of
     * {@code delegates}: straight-line, so no stack-map frames.
     */
    private void addDelegates(Bytes out, Pool pool, InstrumentationSpec.Delegates delegates) {
        int code = pool.constant(1, "Code", null, null);
        int field = pool.constant(9, className(thisClass), delegates.field, delegates.fieldDescriptor);
        String owner = delegates.fieldDescriptor.substring(1, delegates.fieldDescriptor.length() - 1);
        for (int i = 0; i < delegates.methods.size(); i += 2) {
            String name = delegates.methods.get(i), descriptor = delegates.methods.get(i + 1);
            int arguments = referenceArguments(descriptor);
            boolean returns = !descriptor.endsWith(")V");
            int length = 4 + 2 * arguments + 4;
            out.u2(0x0001 | 0x1000).u2(pool.constant(1, "tagalong$" + name, null, null)).u2(pool.constant(1, descriptor, null, null))
                    .u2(1).u2(code).u4(12 + length).u2(1 + arguments).u2(1 + arguments).u4(length);
            out.u1(0x2A).u1(0xB4).u2(field); // aload_0, getfield
            for (int a = 1; a <= arguments; a++) out.u1(0x19).u1(a); // aload a
            out.u1(0xB6).u2(pool.constant(10, owner, name, descriptor)).u1(returns ? 0xB0 : 0xB1).u2(0).u2(0);
        }
    }

    /** The number of arguments of a method whose arguments and result are references (what delegates take), or void. */
    private static int referenceArguments(String descriptor) {
        int count = 0, i = 1;
        for (; descriptor.charAt(i) != ')'; count++) {
            while (descriptor.charAt(i) == '[') i++;
            if (descriptor.charAt(i) != 'L' && descriptor.charAt(i - 1) != '[') {
                throw new IllegalArgumentException("a delegate takes references: " + descriptor);
            }
            i = descriptor.charAt(i) == 'L' ? descriptor.indexOf(';', i) + 1 : i + 1;
        }
        char result = descriptor.charAt(i + 1);
        if (result != 'V' && result != 'L' && result != '[') {
            throw new IllegalArgumentException("a delegate returns a reference or nothing: " + descriptor);
        }
        return count;
    }

    /** Copies the Code attribute at {@code at} with the patch's code inserted. */
    private void patchCode(Bytes out, int at, MethodPatch patch, boolean stateField, Pool pool) {
        int maxStack = u2(at + 6), maxLocals = u2(at + 8), length = u4(at + 10), code = at + 14;
        InsertedCode entry = null, exit = null;
        if (patch.atEntry != null) {
            entry = new InsertedCode(pool, maxLocals);
            patch.atEntry.emit(entry, stateField);
            entry.align();
            maxStack = Math.max(maxStack, entry.peak);
        }
        if (patch.beforeReturn != null) {
            exit = new InsertedCode(pool, maxLocals);
            patch.beforeReturn.emit(exit, stateField);
            exit.align();
            maxStack += exit.peak; // at most the method's own depth at the return, plus the inserted code's
        }
        // target[o]: where a jump to old offset o lands now; moved[o]: where the instruction at o is now (-1: none).
        int[] target = new int[length + 1], moved = new int[length + 1];
        Arrays.fill(moved, -1);
        int shift = 0;
        for (int o = 0; o < length; o += instructionLength(code, o)) {
            int before = o == 0 && entry != null ? entry.size : 0, op = b[code + o] & 0xFF;
            target[o] = o + shift + before;
            shift += before + (exit != null && op >= 0xAC && op <= 0xB1 ? exit.size : 0);
            moved[o] = o + shift;
        }
        target[length] = moved[length] = length + shift;
        if (length + shift > 0xFFFF) throw new IllegalStateException("method too long");

        Bytes body = new Bytes(length + shift + 64);
        for (int o = 0; o < length; ) {
            int op = b[code + o] & 0xFF, n = instructionLength(code, o), now = moved[o];
            if (o == 0 && entry != null) body.put(entry.data, 0, entry.size);
            if (exit != null && op >= 0xAC && op <= 0xB1) body.put(exit.data, 0, exit.size);
            int base = body.size;
            body.put(b, code + o, n);
            if ((op >= 0x99 && op <= 0xA8) || op == 0xC6 || op == 0xC7) { // if*, goto, jsr, ifnull, ifnonnull
                int jump = map(target, o + (short) u2(code + o + 1)) - now;
                if (jump != (short) jump) throw new IllegalStateException("branch too far");
                body.set2(base + 1, jump);
            } else if (op == 0xC8 || op == 0xC9) { // goto_w, jsr_w
                body.set4(base + 1, map(target, o + u4(code + o + 1)) - now);
            } else if (op == 0xAA || op == 0xAB) { // tableswitch, lookupswitch: same padding, offsets from `now`
                int p = (o + 4) & ~3, n2 = op == 0xAA ? u4(code + p + 8) - u4(code + p + 4) + 1 : u4(code + p + 4);
                body.set4(base + p - o, map(target, o + u4(code + p)) - now);
                for (int k = 0; k < n2; k++) {
                    int slot = op == 0xAA ? p + 12 + 4 * k : p + 12 + 8 * k;
                    body.set4(base + slot - o, map(target, o + u4(code + slot)) - now);
                }
            }
            o += n;
        }

        int exceptions = u2(code + length), e = code + length + 2;
        Bytes attr = new Bytes(length + shift + 256);
        attr.u2(u2(at)).u4(0).u2(maxStack).u2(maxLocals).u4(body.size).put(body.data, 0, body.size).u2(exceptions);
        for (int i = 0; i < exceptions; i++, e += 8) {
            attr.u2(map(target, u2(e))).u2(map(target, u2(e + 2))).u2(map(target, u2(e + 4))).u2(u2(e + 6));
        }
        int attributes = u2(e), kept = 0, countAt = attr.size;
        attr.u2(0);
        e += 2;
        for (int a = 0; a < attributes; a++) {
            String name = utf8(u2(e));
            int len = u4(e + 2), d = e + 6;
            if (name.equals("StackMapTable")) {
                kept++;
                int start = attr.size, frames = u2(d), previous = -1;
                attr.u2(u2(e)).u4(0).u2(frames);
                d += 2;
                for (int f = 0; f < frames; f++) {
                    int type = b[d] & 0xFF, delta = type < 64 ? type : type < 128 ? type - 64 : u2(d + 1);
                    int offset = previous < 0 ? delta : previous + delta + 1;
                    int newDelta = map(target, offset) - (previous < 0 ? 0 : map(target, previous) + 1);
                    previous = offset;
                    d += type < 128 ? 1 : 3;
                    if (type < 64 || type == 251) {
                        if (newDelta < 64) attr.u1(newDelta); else attr.u1(251).u2(newDelta);
                    } else if (type < 128 || type == 247) {
                        if (newDelta < 64) attr.u1(64 + newDelta); else attr.u1(247).u2(newDelta);
                        d = copyType(attr, d, moved);
                    } else if (type >= 248 && type <= 250) {
                        attr.u1(type).u2(newDelta);
                    } else if (type >= 252 && type <= 254) {
                        attr.u1(type).u2(newDelta);
                        for (int k = 0; k < type - 251; k++) d = copyType(attr, d, moved);
                    } else if (type == 255) {
                        attr.u1(type).u2(newDelta);
                        for (int list = 0; list < 2; list++) {
                            int items = u2(d);
                            attr.u2(items);
                            d += 2;
                            for (int k = 0; k < items; k++) d = copyType(attr, d, moved);
                        }
                    } else {
                        throw new IllegalStateException("frame type " + type);
                    }
                }
                attr.set4(start + 2, attr.size - start - 6);
            } else if (name.equals("LineNumberTable")) {
                kept++;
                attr.u2(u2(e)).u4(len).u2(u2(d));
                for (int k = 0, n = u2(d); k < n; k++) attr.u2(map(target, u2(d + 2 + 4 * k))).u2(u2(d + 4 + 4 * k));
            } else if (name.equals("LocalVariableTable") || name.equals("LocalVariableTypeTable")) {
                kept++;
                attr.u2(u2(e)).u4(len).u2(u2(d));
                for (int k = 0, n = u2(d); k < n; k++) {
                    int v = d + 2 + 10 * k, from = map(target, u2(v)), to = map(target, u2(v) + u2(v + 2));
                    attr.u2(from).u2(to - from).put(b, v + 4, 6);
                }
            } // anything else (type annotations) holds offsets this patcher does not know: dropped
            e += 6 + len;
        }
        attr.set2(countAt, kept);
        attr.set4(2, attr.size - 6);
        out.put(attr.data, 0, attr.size);
    }

    /** Copies one verification type; an uninitialized(offset) names the NEW instruction, which may have moved. */
    private int copyType(Bytes out, int d, int[] moved) {
        int tag = b[d] & 0xFF;
        out.u1(tag);
        if (tag == 7) {
            out.u2(u2(d + 1));
            return d + 3;
        }
        if (tag == 8) {
            out.u2(map(moved, u2(d + 1)));
            return d + 3;
        }
        return d + 1;
    }

    private static int map(int[] offsets, int old) {
        if (old < 0 || old >= offsets.length || offsets[old] < 0 || (old > 0 && offsets[old] == 0)) {
            throw new IllegalStateException("offset " + old + " is not an instruction");
        }
        return offsets[old];
    }

    /** Length of the instruction at {@code o} (offset in the code starting at {@code code}). */
    private int instructionLength(int code, int o) {
        int op = b[code + o] & 0xFF;
        if (op == 0xAA || op == 0xAB) {
            int p = (o + 4) & ~3;
            return op == 0xAA ? p + 12 + 4 * (u4(code + p + 8) - u4(code + p + 4) + 1) - o : p + 8 + 8 * u4(code + p + 4) - o;
        }
        if (op == 0xC4) return (b[code + o + 1] & 0xFF) == 0x84 ? 6 : 4; // wide iinc, wide load/store/ret
        int n = op < LENGTHS.length() ? LENGTHS.charAt(op) - '0' : 0;
        if (n == 0) throw new IllegalStateException("opcode " + op);
        return n;
    }

    /** Length of each fixed-size instruction by opcode (0: variable or undefined). */
    private static final String LENGTHS = "" // 16 opcodes a line, from 0x00
            + "1111111111111111" + "2323322222111111" + "1111111111111111" + "1111112222211111"
            + "1111111111111111" + "1111111111111111" + "1111111111111111" + "1111111111111111"
            + "1111311111111111" + "1111111113333333" + "3333333332001111" + "1133333335532311"
            + "3311043355";

    // -- reading --

    private int u2(int at) {
        return (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private int u4(int at) {
        return (b[at] & 0xFF) << 24 | (b[at + 1] & 0xFF) << 16 | (b[at + 2] & 0xFF) << 8 | (b[at + 3] & 0xFF);
    }

    private String className(int classIndex) {
        return utf8(u2(cp[classIndex] + 1));
    }

    /** A Utf8 constant (modified UTF-8). */
    private String utf8(int index) {
        int at = cp[index] + 3, end = at + u2(cp[index] + 1);
        char[] chars = new char[end - at];
        int n = 0;
        while (at < end) {
            int c = b[at++] & 0xFF;
            if (c >= 0xE0) {
                c = (c & 0x0F) << 12 | (b[at] & 0x3F) << 6 | (b[at + 1] & 0x3F);
                at += 2;
            } else if (c >= 0xC0) {
                c = (c & 0x1F) << 6 | (b[at++] & 0x3F);
            }
            chars[n++] = (char) c;
        }
        return new String(chars, 0, n);
    }

    /** A growable byte array that writes big-endian, as class files are. */
    static class Bytes {
        byte[] data;
        int size;

        Bytes(int capacity) {
            data = new byte[capacity];
        }

        final Bytes u1(int v) {
            if (size == data.length) data = Arrays.copyOf(data, size * 2 + 16);
            data[size++] = (byte) v;
            return this;
        }

        final Bytes u2(int v) {
            return u1(v >>> 8).u1(v);
        }

        final Bytes u4(int v) {
            return u2(v >>> 16).u2(v);
        }

        final Bytes put(byte[] from, int offset, int length) {
            if (size + length > data.length) data = Arrays.copyOf(data, Math.max(size + length, size * 2));
            System.arraycopy(from, offset, data, size, length);
            size += length;
            return this;
        }

        final void set2(int at, int v) {
            data[at] = (byte) (v >>> 8);
            data[at + 1] = (byte) v;
        }

        final void set4(int at, int v) {
            set2(at, v >>> 16);
            set2(at + 2, v);
        }

        final void utf8(String s) {
            int lengthAt = size;
            u2(0);
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c != 0 && c < 0x80) u1(c);
                else if (c < 0x800) u1(0xC0 | c >> 6).u1(0x80 | (c & 0x3F));
                else u1(0xE0 | c >> 12).u1(0x80 | (c >> 6 & 0x3F)).u1(0x80 | (c & 0x3F));
            }
            set2(lengthAt, size - lengthAt - 2);
        }

        final byte[] toByteArray() {
            return size == data.length ? data : Arrays.copyOf(data, size);
        }
    }

    /** Constants appended to the class's pool, each one once. */
    static final class Pool extends Bytes {
        private final Map<String, Integer> added = new HashMap<String, Integer>();
        int count;

        /** The class's own name is its existing this_class constant (for a hidden class, only that one names it). */
        Pool(int count, String thisName, int thisClass) {
            super(256);
            this.count = count;
            added.put(7 + " " + thisName + " null null", thisClass);
        }

        /** Tag 1 Utf8 (a), 7 Class (a), 12 NameAndType (a, b), 9/10 Fieldref/Methodref (class a, name b, descriptor c). */
        int constant(int tag, String a, String b, String c) {
            String key = tag + " " + a + " " + b + " " + c;
            Integer index = added.get(key);
            if (index != null) return index;
            int i1 = tag == 7 || tag == 12 ? constant(1, a, null, null) : tag == 1 ? 0 : constant(7, a, null, null);
            int i2 = tag == 12 ? constant(1, b, null, null) : tag == 9 || tag == 10 ? constant(12, b, c, null) : 0;
            u1(tag);
            if (tag == 1) utf8(a);
            else if (tag == 7) u2(i1);
            else u2(i1).u2(i2);
            added.put(key, count);
            return count++;
        }
    }

    /** Inserted code as bytes, with the constants it names appended to the class's pool and its stack depth tracked. */
    static final class InsertedCode extends Bytes implements MethodPatch.Instructions {
        private final Pool pool;
        private final int maxLocals;
        int depth, peak;

        InsertedCode(Pool pool, int maxLocals) {
            super(16);
            this.pool = pool;
            this.maxLocals = maxLocals;
        }

        private InsertedCode stack(int change) {
            depth += change;
            peak = Math.max(peak, depth);
            return this;
        }

        private InsertedCode local(int opcode, int slot, int change) {
            if (slot < 0 || slot >= maxLocals) throw new IllegalStateException("no local " + slot);
            if (slot > 0xFF) u1(0xC4).u1(opcode).u2(slot); else u1(opcode).u1(slot);
            return stack(change);
        }

        private InsertedCode member(int opcode, int tag, String owner, String name, String descriptor, int change) {
            u1(opcode).u2(pool.constant(tag, owner, name, descriptor));
            return stack(change);
        }

        /** Stack words of the arguments (not the receiver) and of the return value of a method descriptor. */
        private static int words(String descriptor, boolean arguments) {
            int words = 0, i = 1;
            while (descriptor.charAt(i) != ')') {
                char c = descriptor.charAt(i);
                words += c == 'J' || c == 'D' ? 2 : 1;
                while (descriptor.charAt(i) == '[') i++;
                i = descriptor.charAt(i) == 'L' ? descriptor.indexOf(';', i) + 1 : i + 1;
            }
            char r = descriptor.charAt(i + 1);
            return arguments ? words : r == 'V' ? 0 : r == 'J' || r == 'D' ? 2 : 1;
        }

        private static int size(String fieldDescriptor) {
            char c = fieldDescriptor.charAt(0);
            return c == 'J' || c == 'D' ? 2 : 1;
        }

        @Override public InsertedCode aload(int slot) { return local(0x19, slot, 1); }
        @Override public InsertedCode astore(int slot) { return local(0x3A, slot, -1); }
        @Override public InsertedCode dup() { u1(0x59); return stack(1); }
        @Override public InsertedCode aconstNull() { u1(0x01); return stack(1); }
        @Override public InsertedCode getfield(String owner, String name, String descriptor) {
            return member(0xB4, 9, owner, name, descriptor, size(descriptor) - 1);
        }
        @Override public InsertedCode putfield(String owner, String name, String descriptor) {
            return member(0xB5, 9, owner, name, descriptor, -size(descriptor) - 1);
        }
        @Override public InsertedCode invokestatic(String owner, String name, String descriptor) {
            return member(0xB8, 10, owner, name, descriptor, words(descriptor, false) - words(descriptor, true));
        }
        @Override public InsertedCode invokevirtual(String owner, String name, String descriptor) {
            return member(0xB6, 10, owner, name, descriptor, words(descriptor, false) - words(descriptor, true) - 1);
        }
        @Override public InsertedCode checkcast(String type) {
            u1(0xC0).u2(pool.constant(7, type, null, null));
            return this;
        }

        /** NOPs up to a multiple of 4 bytes, so the instructions after keep their alignment. */
        void align() {
            while ((size & 3) != 0) u1(0);
        }
    }
}

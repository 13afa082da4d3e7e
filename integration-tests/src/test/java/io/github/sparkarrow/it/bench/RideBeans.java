package io.github.sparkarrow.it.bench;

import java.io.Serializable;
import java.math.BigDecimal;

/** JavaBean versions of {@link Ride} for {@code Encoders.bean}, the way Spark users map today. */
public final class RideBeans {

  private RideBeans() {}

  public static class RideBean implements Serializable {
    private static final long serialVersionUID = 1L;
    private long id;
    private String vendor;
    private java.sql.Timestamp pickup;
    private java.sql.Date day;
    private double distance;
    private BigDecimal fare;
    private int passengers;
    private String zone;

    /** The bean a Spark user would have for {@code ride}. */
    public static RideBean of(Ride ride) {
      RideBean bean = new RideBean();
      bean.id = ride.id();
      bean.vendor = ride.vendor();
      bean.pickup = java.sql.Timestamp.from(ride.pickup());
      bean.day = java.sql.Date.valueOf(ride.day());
      bean.distance = ride.distance();
      bean.fare = ride.fare();
      bean.passengers = ride.passengers();
      bean.zone = ride.zone();
      return bean;
    }

    public long getId() { return id; }
    public void setId(long id) { this.id = id; }
    public String getVendor() { return vendor; }
    public void setVendor(String vendor) { this.vendor = vendor; }
    public java.sql.Timestamp getPickup() { return pickup; }
    public void setPickup(java.sql.Timestamp pickup) { this.pickup = pickup; }
    public java.sql.Date getDay() { return day; }
    public void setDay(java.sql.Date day) { this.day = day; }
    public double getDistance() { return distance; }
    public void setDistance(double distance) { this.distance = distance; }
    public BigDecimal getFare() { return fare; }
    public void setFare(BigDecimal fare) { this.fare = fare; }
    public int getPassengers() { return passengers; }
    public void setPassengers(int passengers) { this.passengers = passengers; }
    public String getZone() { return zone; }
    public void setZone(String zone) { this.zone = zone; }
  }

  public static class ChargeBean implements Serializable {
    private static final long serialVersionUID = 1L;
    private long id;
    private double charge;

    public static ChargeBean of(RideBean ride) {
      ChargeBean charge = new ChargeBean();
      charge.id = ride.getId();
      charge.charge = Ride.charge(ride.getDistance(), ride.getPassengers(), ride.getFare());
      return charge;
    }

    public long getId() { return id; }
    public void setId(long id) { this.id = id; }
    public double getCharge() { return charge; }
    public void setCharge(double charge) { this.charge = charge; }
  }
}
